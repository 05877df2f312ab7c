//! Turning Merge errors into text a hiring manager can act on (with status and problem type).

use merge::MergeError;

/// A one-line description: what happened, the HTTP status and Merge's problem type.
pub fn describe(e: &MergeError) -> String {
    match (e.status(), e.problem_type()) {
        (Some(status), Some(problem)) => format!("{e} (HTTP {status}, {problem})"),
        (Some(status), None) => format!("{e} (HTTP {status})"),
        _ => e.to_string(),
    }
}

/// True when the ATS refused a write because of the write-as user (`remote_user_id`).
pub fn is_remote_user_problem(e: &MergeError) -> bool {
    match e {
        MergeError::Validation { errors, .. } => errors.iter().any(|p| {
            p.detail.contains("remote_user_id")
                || p.title.contains("remote_user_id")
                || p.source
                    .as_ref()
                    .is_some_and(|s| s.pointer.contains("remote_user_id"))
        }),
        _ => false,
    }
}
