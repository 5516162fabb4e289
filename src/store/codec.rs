//! Byte layouts shared by the trees: big-endian ids, JSON records, varints.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

pub(crate) fn id_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub(crate) fn pair_key(a: u64, b: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&a.to_be_bytes());
    key[8..].copy_from_slice(&b.to_be_bytes());
    key
}

pub(crate) fn decode_u64(bytes: &[u8], tree: &'static str, what: &str) -> Result<u64, StoreError> {
    let array: [u8; 8] = bytes
        .try_into()
        .map_err(|_| corrupt(tree, what, "expected 8 bytes"))?;
    Ok(u64::from_be_bytes(array))
}

pub(crate) fn decode_u32(bytes: &[u8], tree: &'static str, what: &str) -> Result<u32, StoreError> {
    let array: [u8; 4] = bytes
        .try_into()
        .map_err(|_| corrupt(tree, what, "expected 4 bytes"))?;
    Ok(u32::from_be_bytes(array))
}

pub(crate) fn to_json<T: Serialize>(value: &T, what: &str) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Encode {
        what: what.to_owned(),
        detail: e.to_string(),
    })
}

pub(crate) fn from_json<T: DeserializeOwned>(
    bytes: &[u8],
    tree: &'static str,
    what: &str,
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(tree, what, &e.to_string()))
}

/// Opens a record stored zstd-compressed; JSON never starts with it, so
/// plain records written before compression existed still read.
const COMPRESSED: u8 = 0x01;
/// zstd's fastest levels keep up with ingest; higher ones gain a few
/// percent of size for twice the time.
const COMPRESSION_LEVEL: i32 = 1;
/// Below this a record is not worth compressing.
const COMPRESS_FROM_BYTES: usize = 256;

/// JSON, zstd-compressed when that saves anything: for records whose bulk
/// is text (articles), which compresses to under half.
pub(crate) fn to_compressed_json<T: Serialize>(
    value: &T,
    what: &str,
) -> Result<Vec<u8>, StoreError> {
    let json = to_json(value, what)?;
    if json.len() < COMPRESS_FROM_BYTES {
        return Ok(json);
    }
    let mut packed = vec![COMPRESSED];
    packed.extend(compress(&json).map_err(|e| StoreError::Encode {
        what: what.to_owned(),
        detail: format!("zstd: {e}"),
    })?);
    Ok(if packed.len() < json.len() {
        packed
    } else {
        json
    })
}

thread_local! {
    /// Setting up a compression context costs more than compressing one
    /// article (`ZSTD_createCCtx` was 3 % of ingest time), so each thread
    /// keeps one.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
}

/// One zstd frame of `bytes`, as the stream decoder reads it.
fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match &mut *slot {
            Some(compressor) => compressor,
            None => slot.insert(zstd::bulk::Compressor::new(COMPRESSION_LEVEL)?),
        };
        compressor.compress(bytes)
    })
}

/// Reads what [`to_compressed_json`] wrote, or plain JSON.
pub(crate) fn from_compressed_json<T: DeserializeOwned>(
    bytes: &[u8],
    tree: &'static str,
    what: &str,
) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&COMPRESSED, packed)) => {
            let json = zstd::stream::decode_all(packed)
                .map_err(|e| corrupt(tree, what, &format!("cannot decompress: {e}")))?;
            from_json(&json, tree, what)
        }
        _ => from_json(bytes, tree, what),
    }
}

pub(crate) fn corrupt(tree: &'static str, what: &str, detail: &str) -> StoreError {
    StoreError::Corrupt {
        tree,
        what: what.to_owned(),
        detail: detail.to_owned(),
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads packed values front to back; every read names what was expected so
/// a truncated value becomes a [`StoreError::Corrupt`], not a panic.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    tree: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], tree: &'static str) -> Reader<'a> {
        Reader { bytes, tree }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn varint(&mut self) -> Result<u64, StoreError> {
        let mut value = 0u64;
        for (i, &byte) in self.bytes.iter().enumerate().take(10) {
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[i + 1..];
                return Ok(value);
            }
        }
        Err(corrupt(self.tree, "varint", "truncated or too long"))
    }

    pub(crate) fn u32_le(&mut self) -> Result<u32, StoreError> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<4>()
            .ok_or_else(|| corrupt(self.tree, "u32", "truncated"))?;
        self.bytes = rest;
        Ok(u32::from_le_bytes(*head))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_records_round_trip_and_plain_ones_still_read() {
        let long = serde_json::json!({"text": "The harbour ferry stops in March. ".repeat(40)});
        let packed = to_compressed_json(&long, "record").unwrap();
        assert_eq!(packed[0], COMPRESSED);
        assert!(packed.len() * 4 < to_json(&long, "record").unwrap().len());
        let read: serde_json::Value = from_compressed_json(&packed, "test", "record").unwrap();
        assert_eq!(read, long);

        let short = serde_json::json!({"text": "Ferry stops."});
        let plain = to_compressed_json(&short, "record").unwrap();
        assert_eq!(plain, to_json(&short, "record").unwrap());
        let read: serde_json::Value = from_compressed_json(&plain, "test", "record").unwrap();
        assert_eq!(read, short);

        let mut damaged = packed.clone();
        damaged.truncate(packed.len() / 2);
        let error = from_compressed_json::<serde_json::Value>(&damaged, "test", "record 7");
        assert!(
            matches!(&error, Err(StoreError::Corrupt { what, .. }) if what == "record 7"),
            "{error:?}"
        );
    }

    #[test]
    fn varints_round_trip_and_truncation_is_an_error() {
        let values = [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        let mut out = Vec::new();
        for v in values {
            put_varint(&mut out, v);
        }
        let mut reader = Reader::new(&out, "test");
        for v in values {
            assert_eq!(reader.varint().unwrap(), v);
        }
        assert!(reader.is_empty());
        let mut truncated = Reader::new(&[0x80, 0x80], "test");
        assert!(truncated.varint().is_err());
    }
}
