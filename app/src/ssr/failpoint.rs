//! Crash points for the exactly-once proof: with `ATSB_FAILPOINT=<name>` the process kills
//! itself with SIGKILL when it reaches that point, as a power cut or OOM kill would. Unset (the
//! normal case), a failpoint is one comparison.

use std::sync::OnceLock;

/// The points a push passes, in order; `<step>:before` precedes the ATS call, `<step>:after`
/// follows a successful answer but precedes recording the id it returned.
pub const PUSH_POINTS: &[&str] = &[
    "candidate:before",
    "candidate:after",
    "application:before",
    "application:after",
    "attachment:before",
    "attachment:after",
];

fn armed() -> Option<&'static str> {
    static ARMED: OnceLock<Option<String>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            std::env::var("ATSB_FAILPOINT")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

/// Kills the process if `name` is the armed failpoint.
pub fn hit(name: &str) {
    if armed() == Some(name) {
        eprintln!("ATSB_FAILPOINT={name} reached: killing the process (SIGKILL)");
        // SAFETY: kill(2) on our own pid with a constant signal has no memory-safety conditions.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}
