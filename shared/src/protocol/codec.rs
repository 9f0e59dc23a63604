//! A small binary codec: LEB128 varints, length-prefixed bytes, fixed-size ids. Every length
//! is checked against what is left of the input *before* anything is allocated, so hostile
//! bytes get a [`DecodeError`], never a panic or a huge allocation.

use super::DecodeError;

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u64(&mut self, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }

    pub(crate) fn i64(&mut self, value: i64) {
        // Zig-zag, so small negative numbers stay small.
        self.u64(((value << 1) ^ (value >> 63)) as u64);
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(crate) fn fixed(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
    }

    pub(crate) fn bytes(&mut self, value: &[u8]) {
        self.u64(value.len() as u64);
        self.bytes.extend_from_slice(value);
    }
}

/// Reads values from a byte slice.
pub(crate) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { input }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.input.len()
    }

    pub(crate) fn u64(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.input.split_first().ok_or(DecodeError::Truncated)?;
            self.input = rest;
            let low = u64::from(byte & 0x7f);
            if shift == 63 && low > 1 {
                return Err(DecodeError::Malformed("varint overflows 64 bits"));
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Malformed("varint longer than 10 bytes"))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.u64()?).map_err(|_| DecodeError::Malformed("number out of range"))
    }

    pub(crate) fn i64(&mut self) -> Result<i64, DecodeError> {
        let raw = self.u64()?;
        Ok(((raw >> 1) as i64) ^ -((raw & 1) as i64))
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        let (&byte, rest) = self.input.split_first().ok_or(DecodeError::Truncated)?;
        self.input = rest;
        Ok(byte)
    }

    pub(crate) fn fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        if self.input.len() < N {
            return Err(DecodeError::Truncated);
        }
        let (head, rest) = self.input.split_at(N);
        self.input = rest;
        head.try_into().map_err(|_| DecodeError::Truncated)
    }

    /// Length-prefixed bytes, at most `limit` long.
    pub(crate) fn bytes(&mut self, limit: usize) -> Result<&'a [u8], DecodeError> {
        let length = usize::try_from(self.u64()?).map_err(|_| DecodeError::TooLarge)?;
        if length > limit {
            return Err(DecodeError::TooLarge);
        }
        if length > self.input.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, rest) = self.input.split_at(length);
        self.input = rest;
        Ok(head)
    }

    /// A count of items that each take at least `min_item_bytes`, checked against what is left.
    pub(crate) fn count(
        &mut self,
        min_item_bytes: usize,
        limit: usize,
    ) -> Result<usize, DecodeError> {
        let count = usize::try_from(self.u64()?).map_err(|_| DecodeError::TooLarge)?;
        if count > limit {
            return Err(DecodeError::TooLarge);
        }
        if count.saturating_mul(min_item_bytes.max(1)) > self.input.len() {
            return Err(DecodeError::Truncated);
        }
        Ok(count)
    }

    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.input.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Malformed("trailing bytes"))
        }
    }
}
