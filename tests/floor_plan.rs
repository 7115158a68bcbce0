//! The floor plan, checked: in every crate of the workspace, the import graph of the non-test
//! code has no cycle — between files, and between the entries (files and folders) of every
//! folder — and no non-test function is longer than [`MAX_FN_LINES`] lines.
//!
//! An arrow A → B means a file of A names an item of B: a `use` (re-exports followed to the
//! file that defines the item) or a path in code that starts at `crate`, `super`, `self`, a
//! child module or a name brought in by `use`; `use b::*` is an arrow to b. Declaring a child
//! module (`mod b;`) is not an arrow. Test modules (`#[cfg(test)]`) and `tests/` are left out. Paths inside macro
//! invocations are not read.
//!
//! `cargo test --test floor_plan -- --nocapture` prints every file-level arrow count and the
//! longest functions.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use syn::{
    Attribute, Item, UseTree,
    visit::{self, Visit},
};

/// The longest a non-test function may be, in lines (signature to closing brace).
const MAX_FN_LINES: usize = 80;

/// Stands for every name of a module a glob import takes.
const GLOB: &str = "*";

/// Each crate's root files (library, binary, benches, examples), relative to the workspace.
const CRATES: &[(&str, &[&str])] = &[
    ("kalshi", &["kalshi/src/lib.rs"]),
    ("tradewind-actors", &["actors/src/lib.rs"]),
    ("kalshi-sim", &["sim/src/lib.rs"]),
    ("tradewind", &["src/lib.rs", "src/main.rs"]),
];

/// Standalone targets (benches, examples): only their function lengths are checked.
const TARGET_DIRS: &[&str] = &[
    "kalshi/benches",
    "actors/benches",
    "sim/benches",
    "sim/examples",
    "examples",
    "benches",
];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One module of a crate: where it lives and what it defines and imports.
#[derive(Debug, Default)]
struct Module {
    /// The file (inline modules share their file's).
    file: PathBuf,
    /// Child modules by name.
    children: BTreeMap<String, Vec<String>>,
    /// Names defined here (types, functions, constants, traits, macros).
    defined: BTreeSet<String>,
    /// Names brought in by `use`, with the absolute path they stand for.
    imported: BTreeMap<String, Vec<String>>,
    /// `use x::*` targets.
    globs: Vec<Vec<String>>,
}

/// A crate's modules by absolute path (`["crate", "orders", "state"]`).
type Modules = BTreeMap<Vec<String>, Module>;

fn is_test_attr(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let path = a.path();
        if path.is_ident("test") {
            return true;
        }
        if path.is_ident("cfg") {
            let text = a.meta.require_list().map(|l| l.tokens.to_string());
            return text.is_ok_and(|t| {
                t.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == "test")
            });
        }
        false
    })
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Where `mod name;` declared in `file` lives.
fn child_file(file: &Path, name: &str, attrs: &[Attribute]) -> PathBuf {
    let dir = file.parent().unwrap().to_path_buf();
    let stem = file.file_stem().unwrap().to_string_lossy();
    let base = if ["mod", "lib", "main"].contains(&stem.as_ref()) {
        dir
    } else {
        dir.join(stem.as_ref())
    };
    if let Some(p) = path_attr(attrs) {
        return file.parent().unwrap().join(p);
    }
    let flat = base.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        base.join(name).join("mod.rs")
    }
}

fn parse(file: &Path) -> syn::File {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Loads the module tree under `path`, whose items are `items`.
fn load(path: Vec<String>, file: &Path, items: &[Item], modules: &mut Modules) {
    let mut m = Module {
        file: file.to_path_buf(),
        ..Module::default()
    };
    for item in items {
        let (attrs, name) = match item {
            Item::Const(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Enum(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Fn(i) => (&i.attrs, Some(i.sig.ident.to_string())),
            Item::Macro(i) => (&i.attrs, i.ident.as_ref().map(|i| i.to_string())),
            Item::Static(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Struct(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Trait(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Type(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Union(i) => (&i.attrs, Some(i.ident.to_string())),
            Item::Mod(i) => (&i.attrs, None),
            Item::Use(i) => (&i.attrs, None),
            _ => continue,
        };
        if is_test_attr(attrs) {
            continue;
        }
        if let Some(name) = name {
            m.defined.insert(name);
        }
        match item {
            Item::Mod(i) => {
                let name = i.ident.to_string();
                let mut child = path.clone();
                child.push(name.clone());
                m.children.insert(name, child.clone());
                match &i.content {
                    Some((_, inner)) => load(child, file, inner, modules),
                    None => {
                        let f = child_file(file, &i.ident.to_string(), &i.attrs);
                        let parsed = parse(&f);
                        load(child, &f, &parsed.items, modules);
                    }
                }
            }
            Item::Use(u) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, Vec::new(), &mut leaves);
                for (alias, segs) in leaves {
                    let abs = absolute(&path, &segs, &m);
                    match alias {
                        Some(a) => {
                            m.imported.insert(a, abs);
                        }
                        None => m.globs.push(abs),
                    }
                }
            }
            _ => {}
        }
    }
    modules.insert(path, m);
}

/// Every leaf of a use tree: (name it binds, or None for a glob; its path).
fn use_leaves(tree: &UseTree, prefix: Vec<String>, out: &mut Vec<(Option<String>, Vec<String>)>) {
    let with = |s: String| {
        let mut p = prefix.clone();
        p.push(s);
        p
    };
    match tree {
        UseTree::Path(p) => use_leaves(&p.tree, with(p.ident.to_string()), out),
        UseTree::Name(n) if n.ident == "self" => {
            let name = prefix.last().cloned();
            out.push((name, prefix.clone()));
        }
        UseTree::Name(n) => out.push((Some(n.ident.to_string()), with(n.ident.to_string()))),
        UseTree::Rename(r) => out.push((Some(r.rename.to_string()), with(r.ident.to_string()))),
        UseTree::Glob(_) => out.push((None, prefix.clone())),
        UseTree::Group(g) => g
            .items
            .iter()
            .for_each(|t| use_leaves(t, prefix.clone(), out)),
    }
}

/// `segs` as seen from module `here` (whose children and imports so far are in `m`), made
/// absolute; paths into other crates come back starting with the crate's name.
fn absolute(here: &[String], segs: &[String], m: &Module) -> Vec<String> {
    let mut out: Vec<String>;
    let mut rest = segs;
    match segs.first().map(String::as_str) {
        Some("crate") => {
            out = vec!["crate".into()];
            rest = &segs[1..];
        }
        Some("self") => {
            out = here.to_vec();
            rest = &segs[1..];
        }
        Some("super") => {
            out = here.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                out.pop();
                rest = &rest[1..];
            }
        }
        Some(first) if m.children.contains_key(first) => out = here.to_vec(),
        Some(first) if m.imported.contains_key(first) => {
            out = m.imported[first].clone();
            rest = &segs[1..];
        }
        _ => return segs.to_vec(),
    }
    out.extend(rest.iter().cloned());
    out
}

/// The file that defines what `path` (absolute) names, following re-exports.
fn resolve(modules: &Modules, path: &[String], depth: usize) -> Option<PathBuf> {
    if path.first().is_none_or(|s| s != "crate") || depth > 16 {
        return None;
    }
    let mut at = vec!["crate".to_string()];
    let mut i = 1;
    while i < path.len() && modules[&at].children.contains_key(&path[i]) {
        at = modules[&at].children[&path[i]].clone();
        i += 1;
    }
    let m = &modules[&at];
    // A module itself (`use crate::orders;`) is no arrow: what is named through it is.
    let name = path.get(i)?;
    if m.defined.contains(name) || name == GLOB {
        return Some(m.file.clone());
    }
    if let Some(target) = m.imported.get(name) {
        let mut next = target.clone();
        next.extend(path[i + 1..].iter().cloned());
        // A re-export of another crate's item is no arrow inside this one.
        return resolve(modules, &next, depth + 1);
    }
    for g in &m.globs {
        let mut next = g.clone();
        next.extend(path[i..].iter().cloned());
        if let Some(f) = resolve(modules, &next, depth + 1) {
            return Some(f);
        }
    }
    Some(m.file.clone())
}

/// Collects the paths a module's code names (uses and qualified paths), skipping test items.
struct Paths<'a> {
    here: &'a [String],
    module: &'a Module,
    found: Vec<Vec<String>>,
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item(&mut self, i: &'ast Item) {
        let (attrs, skip): (&[Attribute], bool) = match i {
            Item::Mod(m) => (&m.attrs, true),
            Item::Fn(f) => (&f.attrs, false),
            Item::Impl(x) => (&x.attrs, false),
            Item::Use(u) => (&u.attrs, false),
            _ => (&[], false),
        };
        // Child modules are visited as modules of their own.
        if skip || is_test_attr(attrs) {
            return;
        }
        visit::visit_item(self, i);
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&u.tree, Vec::new(), &mut leaves);
        for (name, segs) in leaves {
            let mut path = absolute(self.here, &segs, self.module);
            if name.is_none() {
                // `use x::*` takes whatever x defines: an arrow to x.
                path.push(GLOB.into());
            }
            self.found.push(path);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() > 1 {
            self.found.push(absolute(self.here, &segs, self.module));
        }
        visit::visit_path(self, p);
    }
}

/// The items of the module at `path` (inline modules found inside their file).
fn module_items(
    modules: &Modules,
    path: &[String],
    cache: &mut BTreeMap<PathBuf, syn::File>,
) -> Vec<Item> {
    let m = &modules[path];
    let file = cache
        .entry(m.file.clone())
        .or_insert_with(|| parse(&m.file));
    // Descend through inline modules declared in this same file.
    let mut items = file.items.clone();
    let mut at = path.len();
    while at > 1 && modules[&path[..at - 1]].file == m.file {
        at -= 1;
    }
    for name in &path[at..] {
        items = items
            .into_iter()
            .find_map(|i| match i {
                Item::Mod(md) if md.ident == name.as_str() => md.content.map(|(_, c)| c),
                _ => None,
            })
            .unwrap_or_default();
    }
    items
}

/// File-level arrows of one crate: file → files it names, with the paths that name them.
fn arrows(root: &Path) -> BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<String>>> {
    let mut modules = Modules::new();
    let parsed = parse(root);
    load(vec!["crate".into()], root, &parsed.items, &mut modules);
    let mut graph: BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<String>>> = BTreeMap::new();
    let mut cache = BTreeMap::new();
    for (path, m) in &modules {
        let items = module_items(&modules, path, &mut cache);
        let mut v = Paths {
            here: path,
            module: m,
            found: Vec::new(),
        };
        for item in &items {
            v.visit_item(item);
        }
        let entry = graph.entry(m.file.clone()).or_default();
        for p in v.found {
            if let Some(f) = resolve(&modules, &p, 0).filter(|f| *f != m.file) {
                entry.entry(f).or_default().insert(p[1..].join("::"));
            }
        }
    }
    graph
}

/// Strongly connected components with more than one node (Tarjan).
fn cycles<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct T<'g, N> {
        g: &'g BTreeMap<N, BTreeSet<N>>,
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on: BTreeSet<N>,
        out: Vec<Vec<N>>,
    }
    fn go<N: Ord + Clone>(t: &mut T<'_, N>, v: &N) {
        let i = t.index.len();
        t.index.insert(v.clone(), i);
        t.low.insert(v.clone(), i);
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        for w in t.g.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                go(t, w);
                let l = t.low[v].min(t.low[w]);
                t.low.insert(v.clone(), l);
            } else if t.on.contains(w) {
                let l = t.low[v].min(t.index[w]);
                t.low.insert(v.clone(), l);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = w == *v;
                comp.push(w);
                if done {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            go(&mut t, v);
        }
    }
    t.out
}

/// The arrows between the entries (files and subfolders) of each folder.
fn folder_graphs(
    files: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
) -> BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<PathBuf>>> {
    let mut out: BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<PathBuf>>> = BTreeMap::new();
    // The entry of `dir` that holds `file`, if `file` is under `dir`.
    let entry = |dir: &Path, file: &Path| -> Option<PathBuf> {
        let rel = file.strip_prefix(dir).ok()?;
        Some(dir.join(rel.components().next()?))
    };
    for (from, tos) in files {
        for to in tos {
            for dir in from.ancestors().skip(1) {
                if let (Some(a), Some(b)) = (entry(dir, from), entry(dir, to))
                    && a != b
                {
                    out.entry(dir.to_path_buf())
                        .or_default()
                        .entry(a)
                        .or_default()
                        .insert(b);
                    break;
                }
            }
        }
    }
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(workspace())
        .unwrap_or(p)
        .display()
        .to_string()
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let mut problems = Vec::new();
    for (krate, roots) in CRATES {
        for root in *roots {
            let named = arrows(&workspace().join(root));
            let files: BTreeMap<PathBuf, BTreeSet<PathBuf>> = named
                .iter()
                .map(|(f, tos)| (f.clone(), tos.keys().cloned().collect()))
                .collect();
            for c in cycles(&files) {
                let names: Vec<String> = c.iter().map(|p| rel(p)).collect();
                let mut why = String::new();
                for a in &c {
                    for (b, paths) in &named[a] {
                        if c.contains(b) {
                            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                            why += &format!("\n    {} -> {}: {}", rel(a), rel(b), paths.join(", "));
                        }
                    }
                }
                problems.push(format!(
                    "{krate}: files in a cycle: {}{why}",
                    names.join(", ")
                ));
            }
            for (dir, g) in folder_graphs(&files) {
                for c in cycles(&g) {
                    let names: Vec<String> = c.iter().map(|p| rel(p)).collect();
                    problems.push(format!(
                        "{krate}: entries of {} in a cycle: {}",
                        rel(&dir),
                        names.join(", ")
                    ));
                }
            }
            let n: usize = files.values().map(BTreeSet::len).sum();
            println!("{krate} ({root}): {} files, {n} arrows", files.len());
        }
    }
    assert!(
        problems.is_empty(),
        "import cycles:\n{}",
        problems.join("\n")
    );
}

/// Collects the lengths of non-test functions.
struct Lengths {
    file: String,
    found: Vec<(usize, String)>,
}

impl Lengths {
    fn record(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let name = &sig.ident;
        let lines = block.brace_token.span.close().end().line - sig.fn_token.span.start().line + 1;
        self.found.push((lines, format!("{}: {}", self.file, name)));
    }
}

impl<'ast> Visit<'ast> for Lengths {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_attr(&m.attrs) {
            visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_attr(&f.attrs) {
            self.record(&f.sig, &f.block);
            visit::visit_item_fn(self, f);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_attr(&f.attrs) {
            self.record(&f.sig, &f.block);
            visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_test_attr(&i.attrs) {
            visit::visit_item_impl(self, i);
        }
    }
}

/// Every `.rs` file reachable as non-test code: the crates' module trees and standalone targets.
fn source_files() -> Vec<PathBuf> {
    let mut files = BTreeSet::new();
    for (_, roots) in CRATES {
        for root in *roots {
            let mut modules = Modules::new();
            let root = workspace().join(root);
            load(
                vec!["crate".into()],
                &root,
                &parse(&root).items,
                &mut modules,
            );
            files.extend(modules.values().map(|m| m.file.clone()));
        }
    }
    for dir in TARGET_DIRS {
        if let Ok(entries) = fs::read_dir(workspace().join(dir)) {
            for e in entries.flatten() {
                if e.path().extension().is_some_and(|x| x == "rs") {
                    files.insert(e.path());
                }
            }
        }
    }
    files.into_iter().collect()
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let mut all = Vec::new();
    for file in source_files() {
        let mut v = Lengths {
            file: rel(&file),
            found: Vec::new(),
        };
        v.visit_file(&parse(&file));
        all.extend(v.found);
    }
    all.sort_by(|a, b| b.cmp(a));
    for (n, name) in all.iter().take(10) {
        println!("{n:4} lines  {name}");
    }
    let long: Vec<String> = all
        .iter()
        .filter(|(n, _)| *n > MAX_FN_LINES)
        .map(|(n, name)| format!("{name}: {n} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}
