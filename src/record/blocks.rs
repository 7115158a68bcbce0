//! A recording file is a sequence of blocks, each a complete, independent zstd frame (with
//! its content size and a checksum) holding whole lines. A file cut anywhere keeps every
//! block before the cut readable; a torn or corrupted block is found here and reported with
//! its offset, and nothing after it in that file is read.

use std::io::{self, Read};

use zstd::zstd_safe;

/// The largest block read (compressed or not): a header claiming more is damage.
pub const MAX_BLOCK: usize = 64 << 20;

/// How much is read from the file at a time.
const CHUNK: usize = 256 << 10;

/// Compresses one block of lines into a zstd frame with its checksum.
pub struct BlockCompressor(zstd::bulk::Compressor<'static>);

impl std::fmt::Debug for BlockCompressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlockCompressor")
    }
}

impl BlockCompressor {
    /// A compressor at zstd `level`.
    ///
    /// # Errors
    /// zstd refused the level or the checksum flag.
    pub fn new(level: i32) -> io::Result<BlockCompressor> {
        let mut c = zstd::bulk::Compressor::new(level)?;
        c.include_checksum(true)?;
        c.include_contentsize(true)?;
        Ok(BlockCompressor(c))
    }

    /// The zstd frame of `lines`.
    ///
    /// # Errors
    /// zstd failed.
    pub fn compress(&mut self, lines: &[u8]) -> io::Result<Vec<u8>> {
        self.0.compress(lines)
    }
}

/// Where reading a file stopped early, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDamage {
    /// Byte offset of the damaged block in the file.
    pub offset: u64,
    /// What is wrong.
    pub reason: String,
}

/// Reads a file's blocks one at a time, holding at most one block in memory.
pub struct BlockReader<R> {
    src: R,
    buf: Vec<u8>,
    start: usize,
    /// File offset of `buf[start]`.
    offset: u64,
    eof: bool,
    dctx: zstd::bulk::Decompressor<'static>,
}

impl<R> std::fmt::Debug for BlockReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockReader")
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

impl<R: Read> BlockReader<R> {
    /// A reader of `src`'s blocks.
    ///
    /// # Errors
    /// zstd could not make a decompression context.
    pub fn new(src: R) -> io::Result<BlockReader<R>> {
        Ok(BlockReader {
            src,
            buf: Vec::new(),
            start: 0,
            offset: 0,
            eof: false,
            dctx: zstd::bulk::Decompressor::new()?,
        })
    }

    /// Decompresses the next block into `out` (replacing its content) and answers the block's
    /// offset; `Ok(None)` at a clean end of file; `Err` at damage (the reader is then done).
    pub fn next_block(&mut self, out: &mut Vec<u8>) -> Result<Option<u64>, BlockDamage> {
        loop {
            let avail = &self.buf[self.start..];
            if avail.is_empty() && self.eof {
                return Ok(None);
            }
            let found = if avail.is_empty() {
                Err(0)
            } else {
                zstd_safe::find_frame_compressed_size(avail)
            };
            match found {
                Ok(n) if n <= avail.len() => return self.decompress(n, out).map(Some),
                _ if !self.eof && avail.len() < MAX_BLOCK => self.fill()?,
                Ok(_) | Err(_) => return Err(self.torn(avail.len())),
            }
        }
    }

    fn torn(&mut self, left: usize) -> BlockDamage {
        let offset = self.offset;
        self.finish();
        BlockDamage {
            offset,
            reason: format!(
                "torn or unreadable block: {left} bytes left that hold no whole zstd frame"
            ),
        }
    }

    /// Reads the next chunk of the file after what is held.
    fn fill(&mut self) -> Result<(), BlockDamage> {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let held = self.buf.len();
        self.buf.resize(held + CHUNK, 0);
        let read = loop {
            match self.src.read(&mut self.buf[held..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(held);
                    let offset = self.offset + held as u64;
                    self.finish();
                    return Err(BlockDamage {
                        offset,
                        reason: format!("read failed: {e}"),
                    });
                }
            }
        };
        self.buf.truncate(held + read);
        self.eof = read == 0;
        Ok(())
    }

    fn decompress(&mut self, n: usize, out: &mut Vec<u8>) -> Result<u64, BlockDamage> {
        let offset = self.offset;
        let frame = &self.buf[self.start..self.start + n];
        let size = match zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_BLOCK as u64 => size as usize,
            _ => return Err(self.damaged(offset, "block header: bad or missing size".into())),
        };
        out.clear();
        out.reserve(size);
        if let Err(e) = self.dctx.decompress_to_buffer(frame, out) {
            return Err(self.damaged(offset, format!("corrupted block: {e}")));
        }
        self.start += n;
        self.offset += n as u64;
        Ok(offset)
    }

    fn damaged(&mut self, offset: u64, reason: String) -> BlockDamage {
        self.finish();
        BlockDamage { offset, reason }
    }

    /// Nothing more is read from this file.
    fn finish(&mut self) {
        self.buf.clear();
        self.start = 0;
        self.eof = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(blocks: &[&[u8]]) -> Vec<u8> {
        let mut c = BlockCompressor::new(3).unwrap();
        blocks.iter().flat_map(|b| c.compress(b).unwrap()).collect()
    }

    fn read_all(data: &[u8]) -> (Vec<Vec<u8>>, Option<BlockDamage>) {
        let mut r = BlockReader::new(data).unwrap();
        let (mut got, mut out) = (Vec::new(), Vec::new());
        loop {
            match r.next_block(&mut out) {
                Ok(Some(_)) => got.push(out.clone()),
                Ok(None) => return (got, None),
                Err(d) => return (got, Some(d)),
            }
        }
    }

    #[test]
    fn blocks_read_back_in_order() {
        let big = vec![b'x'; 3 * CHUNK];
        let data = file(&[b"a\n", &big, b"c\n"]);
        let (got, damage) = read_all(&data);
        assert_eq!(got, vec![b"a\n".to_vec(), big, b"c\n".to_vec()]);
        assert_eq!(damage, None);
    }

    #[test]
    fn a_file_cut_anywhere_keeps_the_blocks_before_the_cut() {
        let data = file(&[b"first\n", b"second\n"]);
        let first_len = file(&[b"first\n"]).len();
        for cut in 0..data.len() {
            let (got, damage) = read_all(&data[..cut]);
            let whole = usize::from(cut >= first_len);
            assert_eq!(got.len(), whole, "cut at {cut}");
            match (cut, damage) {
                (0, None) => {}
                (c, None) => assert_eq!(c, first_len, "clean only at a block boundary"),
                (_, Some(d)) => assert_eq!(d.offset, if whole == 1 { first_len as u64 } else { 0 }),
            }
        }
    }

    #[test]
    fn a_flipped_byte_is_damage_at_its_block() {
        let data = file(&[b"first line\n", b"second line, longer\n"]);
        let second = file(&[b"first line\n"]).len();
        for at in second..data.len() {
            let mut bad = data.clone();
            bad[at] ^= 0x5a;
            let (got, damage) = read_all(&bad);
            // Never a wrong block: the blocks read are the first ones as written (a flip of
            // the checksum flag leaves the second's content whole and its tail as damage).
            let want = [b"first line\n".to_vec(), b"second line, longer\n".to_vec()];
            assert!(
                !got.is_empty() && want.starts_with(&got),
                "flip at {at}: {got:?}"
            );
            let d = damage.unwrap_or_else(|| panic!("flip at {at}: no damage"));
            assert!(d.offset >= second as u64, "flip at {at}: {d:?}");
        }
    }
}
