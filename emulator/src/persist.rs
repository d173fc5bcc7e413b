//! `--state FILE`: the whole [`Db`] as JSON, written to a temp file in the same directory, fsynced, then
//! renamed over the old one, so a crash leaves either the old or the new state, never half of one.

use crate::model::Db;
use std::io::Write;
use std::path::Path;

pub fn save(path: &Path, db: &Db) -> std::io::Result<()> {
    let json = serde_json::to_vec(db).map_err(std::io::Error::other)?;
    write_atomically(path, &json)
}

/// Saves unless the serialised state equals the last one saved (`last` holds its SHA-256).
pub fn save_if_changed(path: &Path, db: &Db, last: &mut Option<[u8; 32]>) -> std::io::Result<()> {
    use sha2::Digest;
    let json = serde_json::to_vec(db).map_err(std::io::Error::other)?;
    let digest: [u8; 32] = sha2::Sha256::digest(&json).into();
    if *last == Some(digest) {
        return Ok(());
    }
    write_atomically(path, &json)?;
    *last = Some(digest);
    Ok(())
}

fn write_atomically(path: &Path, json: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(json)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Loads a state file; `Ok(None)` when it does not exist yet.
pub fn load(path: &Path) -> std::io::Result<Option<Db>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(std::io::Error::other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}
