//! The files a learner makes on drive C (by redirecting a command's output), over the drive
//! table of [`super::text::DRIVE_C`], which stays read-only. Bounded, so a pasted or fuzzed
//! line repeated without end cannot grow memory: past [`MAX_FILES`] files or [`MAX_BYTES`]
//! bytes in all, a write fails as a full disk does.

/// The most files the layer holds.
pub const MAX_FILES: usize = 256;
/// The most bytes all files hold together.
pub const MAX_BYTES: usize = 1 << 20;

/// A file the learner made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFile {
    /// The full path: the folder as the drive table spells it, then the name as first typed.
    pub path: String,
    /// The contents, lines ending in CR LF as cmd writes them.
    pub data: String,
    /// When last written, in local seconds since 1970 (what `dir` shows).
    pub local_secs: i64,
}

/// The disk is full: cmd says `There is not enough space on the disk.`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskFull;

/// Every file the learner made, in no order (listings sort what they show).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    list: Vec<UserFile>,
    bytes: usize,
}

impl Files {
    fn position(&self, path: &str) -> Option<usize> {
        self.list
            .iter()
            .position(|f| f.path.eq_ignore_ascii_case(path))
    }

    /// The bytes all files hold: `dir`'s free space goes down by them.
    pub fn bytes(&self) -> u64 {
        self.bytes as u64
    }

    /// The file at this full path, whatever its case.
    pub fn get(&self, path: &str) -> Option<&UserFile> {
        self.position(path).map(|i| &self.list[i])
    }

    /// The files directly in `folder` (a full path, `C:\` for the root).
    pub fn in_folder<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a UserFile> + 'a {
        self.list.iter().filter(move |f| {
            f.path.rsplit_once('\\').is_some_and(|(parent, _)| {
                let parent = if parent.len() == 2 { "C:\\" } else { parent };
                parent.eq_ignore_ascii_case(folder)
            })
        })
    }

    /// Creates the file, or empties it unless `append`; its date becomes `local_secs`.
    pub fn open(&mut self, path: &str, append: bool, local_secs: i64) -> Result<(), DiskFull> {
        match self.position(path) {
            Some(i) => {
                let f = &mut self.list[i];
                if !append {
                    self.bytes -= f.data.len();
                    f.data.clear();
                }
                f.local_secs = local_secs;
            }
            None if self.list.len() >= MAX_FILES => return Err(DiskFull),
            None => self.list.push(UserFile {
                path: path.to_string(),
                data: String::new(),
                local_secs,
            }),
        }
        Ok(())
    }

    /// Adds `text` to the end of the file (made by [`Files::open`]). What fits under the cap
    /// is written (cut at a character boundary) before the disk is full, as a real write
    /// fills the last free clusters.
    pub fn append(&mut self, path: &str, text: &str) -> Result<(), DiskFull> {
        let Some(i) = self.position(path) else {
            return Ok(());
        };
        let room = MAX_BYTES - self.bytes;
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.list[i].data.push_str(&text[..take]);
        self.bytes += take;
        if take < text.len() {
            Err(DiskFull)
        } else {
            Ok(())
        }
    }

    /// Gives the file at `from` the path `to` (in any folder); false when there is none.
    pub fn rename(&mut self, from: &str, to: &str) -> bool {
        match self.position(from) {
            Some(i) => {
                self.list[i].path = to.to_string();
                true
            }
            None => false,
        }
    }

    /// Deletes the file; false when there is none at that path.
    pub fn remove(&mut self, path: &str) -> bool {
        match self.position(path) {
            Some(i) => {
                self.bytes -= self.list.swap_remove(i).data.len();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_by_path_in_any_case_and_listed_by_folder() {
        let mut files = Files::default();
        assert_eq!(files.open("C:\\ip.txt", false, 5), Ok(()));
        assert_eq!(files.open("C:\\WINDOWS\\b.txt", false, 5), Ok(()));
        assert_eq!(files.append("C:\\IP.TXT", "hello \r\n"), Ok(()));
        assert_eq!(
            files.get("c:\\Ip.txt").map(|f| f.data.as_str()),
            Some("hello \r\n")
        );
        let root: Vec<&str> = files.in_folder("C:\\").map(|f| f.path.as_str()).collect();
        assert_eq!(root, vec!["C:\\ip.txt"]);
        assert_eq!(files.in_folder("c:\\windows").count(), 1);
        assert_eq!(files.open("C:\\ip.txt", true, 6), Ok(()));
        assert_eq!(files.get("C:\\ip.txt").map(|f| f.data.len()), Some(8));
        assert_eq!(files.open("C:\\ip.txt", false, 7), Ok(()));
        assert_eq!(files.get("C:\\ip.txt").map(|f| f.data.len()), Some(0));
        assert!(files.rename("C:\\IP.txt", "C:\\new.txt"));
        assert!(!files.rename("C:\\ip.txt", "C:\\x.txt"));
        assert!(files.remove("C:\\NEW.txt"));
        assert!(!files.remove("C:\\ip.txt"));
        assert_eq!(files.bytes, 0);
    }

    #[test]
    fn the_disk_fills_at_the_caps() {
        let mut files = Files::default();
        for i in 0..MAX_FILES {
            assert_eq!(files.open(&format!("C:\\f{i}"), false, 0), Ok(()));
        }
        assert_eq!(files.open("C:\\one-more", false, 0), Err(DiskFull));
        // An existing file can still be emptied or added to.
        assert_eq!(files.open("C:\\f0", false, 0), Ok(()));
        let big = "é".repeat(MAX_BYTES / 2 + 1);
        assert_eq!(files.append("C:\\f0", &big), Err(DiskFull));
        assert_eq!(files.bytes, MAX_BYTES);
        assert_eq!(files.append("C:\\f1", "x"), Err(DiskFull));
        assert!(files.remove("C:\\f0"));
        assert_eq!(files.append("C:\\f1", "x"), Ok(()));
        assert_eq!(files.bytes, 1);
    }
}
