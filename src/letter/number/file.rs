//! A file-backed sequence: an append-only, fsync'ed journal of JSON lines.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::NumberError;
use super::sequence::{Ledger, Reservation, ReservationState, Sequence, SequenceKey};

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Entry {
    Reserve {
        key: SequenceKey,
        value: u32,
    },
    Commit {
        key: SequenceKey,
        value: u32,
    },
    Void {
        key: SequenceKey,
        value: u32,
        reason: String,
    },
}

/// A [`Sequence`] persisted in a journal file.
///
/// Every reservation, commit and void is appended as one JSON line and flushed
/// to disk (`fsync`) *before* the call returns, so a process that crashes after
/// reserving cannot cause the same number to be handed out again: on reopening,
/// the journal is replayed and the next value is above every value ever
/// reserved. Reservations that were never settled are listed by
/// [`outstanding`](FileSequence::outstanding) so the application can void them.
/// A torn last line (crash during a write) is discarded on open; the write it
/// belonged to never returned, so no caller saw its number.
///
/// One process should own the file at a time (the caller provides exclusion,
/// for example by a lock file or by running numbering in one service).
#[derive(Debug)]
pub struct FileSequence {
    path: PathBuf,
    file: File,
    ledger: Ledger,
}

impl FileSequence {
    /// Opens (creating if needed) the journal at `path` and replays it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, NumberError> {
        let path = path.as_ref().to_path_buf();
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        let mut ledger = Ledger::default();
        let mut good_len: u64 = 0;
        {
            let mut reader = BufReader::new(&file);
            let mut line = String::new();
            let mut n = 0usize;
            loop {
                line.clear();
                let read = reader.read_line(&mut line)?;
                if read == 0 {
                    break;
                }
                n += 1;
                if !line.ends_with('\n') {
                    // torn write at the end: drop it
                    break;
                }
                let entry: Entry = serde_json::from_str(line.trim_end()).map_err(|e| {
                    NumberError::CorruptJournal {
                        line: n,
                        source: Some(e),
                    }
                })?;
                match entry {
                    Entry::Reserve { key, value } => {
                        if ledger.states.contains_key(&(key.clone(), value)) {
                            return Err(NumberError::CorruptJournal {
                                line: n,
                                source: None,
                            });
                        }
                        ledger.apply_reserve(&key, value)
                    }
                    Entry::Commit { key, value } => {
                        ledger
                            .check_settle(&Reservation::new(key.clone(), value))
                            .map_err(|_| NumberError::CorruptJournal {
                                line: n,
                                source: None,
                            })?;
                        ledger.settle(&key, value, ReservationState::Committed)
                    }
                    Entry::Void { key, value, reason } => {
                        ledger
                            .check_settle(&Reservation::new(key.clone(), value))
                            .map_err(|_| NumberError::CorruptJournal {
                                line: n,
                                source: None,
                            })?;
                        ledger.settle(&key, value, ReservationState::Voided { reason })
                    }
                }
                good_len += read as u64;
            }
        }
        if file.metadata()?.len() != good_len {
            file.set_len(good_len)?;
            file.sync_all()?;
        }
        file.seek(SeekFrom::End(0))?;
        if !existed {
            // Make the new directory entry durable too.
            file.sync_all()?;
            #[cfg(unix)]
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                File::open(dir)?.sync_all()?;
            }
        }
        Ok(FileSequence { path, file, ledger })
    }

    /// The journal path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reservations not yet committed or voided (e.g. left by a crash).
    pub fn outstanding(&self) -> Vec<Reservation> {
        self.ledger.outstanding()
    }

    fn append(&mut self, e: &Entry) -> Result<(), NumberError> {
        let mut line =
            serde_json::to_vec(e).map_err(|err| NumberError::Io(std::io::Error::other(err)))?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        Ok(())
    }
}

impl Sequence for FileSequence {
    fn reserve(&mut self, key: &SequenceKey) -> Result<Reservation, NumberError> {
        let value = self.ledger.next(key)?;
        self.append(&Entry::Reserve {
            key: key.clone(),
            value,
        })?;
        self.ledger.apply_reserve(key, value);
        Ok(Reservation::new(key.clone(), value))
    }
    fn commit(&mut self, r: &Reservation) -> Result<(), NumberError> {
        self.ledger.check_settle(r)?;
        self.append(&Entry::Commit {
            key: r.key().clone(),
            value: r.value(),
        })?;
        self.ledger
            .settle(r.key(), r.value(), ReservationState::Committed);
        Ok(())
    }
    fn void(&mut self, r: &Reservation, reason: &str) -> Result<(), NumberError> {
        self.ledger.check_settle(r)?;
        self.append(&Entry::Void {
            key: r.key().clone(),
            value: r.value(),
            reason: reason.to_owned(),
        })?;
        self.ledger.settle(
            r.key(),
            r.value(),
            ReservationState::Voided {
                reason: reason.to_owned(),
            },
        );
        Ok(())
    }
    fn state(&self, key: &SequenceKey, value: u32) -> Option<ReservationState> {
        self.ledger.states.get(&(key.clone(), value)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopen_and_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seq.jsonl");
        let k = SequenceKey::new("sd", "diskominfo", 2025).unwrap();
        {
            let mut s = FileSequence::open(&path).unwrap();
            let a = s.reserve(&k).unwrap();
            let b = s.reserve(&k).unwrap();
            s.commit(&a).unwrap();
            s.void(&b, "batal").unwrap();
            s.reserve(&k).unwrap(); // 3, left outstanding
        }
        // simulate a torn write
        {
            let mut f = OpenOptions::new().append(true).open(&path).unwrap();
            f.write_all(b"{\"op\":\"reserve\",\"key\":{\"sch").unwrap();
        }
        let mut s = FileSequence::open(&path).unwrap();
        assert_eq!(s.state(&k, 1), Some(ReservationState::Committed));
        assert!(matches!(
            s.state(&k, 2),
            Some(ReservationState::Voided { .. })
        ));
        assert_eq!(s.outstanding().len(), 1);
        assert_eq!(s.reserve(&k).unwrap().value(), 4);
        drop(s);
        let s = FileSequence::open(&path).unwrap();
        assert_eq!(s.state(&k, 4), Some(ReservationState::Reserved));
    }

    #[test]
    fn corrupt_journal_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seq.jsonl");
        std::fs::write(&path, "not json\n").unwrap();
        assert!(matches!(
            FileSequence::open(&path),
            Err(NumberError::CorruptJournal { line: 1, .. })
        ));
        std::fs::write(
            &path,
            "{\"op\":\"commit\",\"key\":{\"scheme\":\"a\",\"scope\":\"b\",\"year\":2025},\"value\":1}\n",
        )
        .unwrap();
        assert!(matches!(
            FileSequence::open(&path),
            Err(NumberError::CorruptJournal { line: 1, .. })
        ));
    }
}
