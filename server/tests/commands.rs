//! The operator's commands, run as the real binary: support staff are created only here, API
//! clients get their own revocable tokens, and `rotate-key` re-encrypts account tokens so the
//! server runs on the new key alone.

#[path = "../../app/tests/common/mod.rs"]
mod common;

use common::server::ServerProcess;
use reqwest::{Method, StatusCode};

const BIN: &str = env!("CARGO_BIN_EXE_server");

async fn sqlite_server() -> ServerProcess {
    let dir = std::env::temp_dir().join(format!("atsb-cmd-{}", common::uuid()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display());
    ServerProcess::new(BIN, &url).await
}

#[tokio::test]
async fn support_staff_are_created_on_the_command_line_only() {
    let mut server = sqlite_server().await;
    // The schema exists once the server has run.
    let app = server.start(None).await;
    let (ok, out) = server
        .command(
            &[
                "create-user",
                "--support",
                "--email",
                "Sam@Marketplace.example",
                "--name",
                "Sam Support",
            ],
            "support password here\n",
        )
        .await;
    assert!(ok, "{out}");
    assert!(
        !out.contains("support password here"),
        "a given password is not echoed"
    );
    let sam = app.new_browser();
    sam.sign_in_as(
        "sam@marketplace.example",
        "support password here",
        "Sam Support",
    )
    .await;
    let (_, me) = sam.get_fn("me", &[]).await;
    assert_eq!(me["is_support"], true, "{me}");

    // No password given: one is generated and shown once.
    let (ok, out) = server
        .command(
            &[
                "create-user",
                "--support",
                "--email",
                "lee@marketplace.example",
                "--name",
                "Lee",
            ],
            "",
        )
        .await;
    assert!(ok, "{out}");
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once): "))
        .unwrap_or_else(|| panic!("{out}"));
    app.new_browser()
        .sign_in_as("lee@marketplace.example", generated.trim(), "Lee")
        .await;

    // Refusals say why and change nothing.
    for (args, why) in [
        (
            vec!["create-user", "--email", "x@y.example", "--name", "X"],
            "only support staff",
        ),
        (
            vec![
                "create-user",
                "--support",
                "--email",
                "sam@marketplace.example",
                "--name",
                "Again",
            ],
            "already has an account",
        ),
        (
            vec![
                "create-user",
                "--support",
                "--email",
                "not-an-address",
                "--name",
                "X",
            ],
            "not an e-mail address",
        ),
        (
            vec!["create-user", "--support", "--name", "X"],
            "--email is required",
        ),
        (vec!["frobnicate"], "unknown command"),
    ] {
        let (ok, out) = server.command(&args, "a long enough password\n").await;
        assert!(!ok && out.contains(why), "{args:?}: {out}");
    }
    let (ok, out) = server
        .command(
            &[
                "create-user",
                "--support",
                "--email",
                "z@marketplace.example",
                "--name",
                "Z",
            ],
            "short\n",
        )
        .await;
    assert!(!ok && out.contains("at least 12 characters"), "{out}");
    server.stop().await;
}

#[tokio::test]
async fn api_clients_have_their_own_tokens_scoped_and_revocable() {
    let mut server = sqlite_server().await;
    let app = server.start(None).await;
    app.sign_in().await;
    let request = {
        app.connect("workable").await;
        let (job, _) = app.open_job(0).await;
        let position = app.import_job(&job).await;
        app.send_request(&position, None, "").await
    };
    let path = format!("/interview-requests/{request}");
    let (status, body) = app.api(Method::GET, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Another company's client does not see Acme's request and may not erase anyone.
    let (ok, out) = server.command(&["list-api-clients"], "").await;
    assert!(ok && out.contains("tests"), "{out}");
    let db = app_db(&server).await;
    let other = db.create_tenant("Other Co").await.unwrap();
    let other_id = db.tenant(other).await.unwrap().0;
    let (ok, out) = server
        .command(
            &[
                "create-api-client",
                "--name",
                "other",
                "--company",
                &other_id,
            ],
            "",
        )
        .await;
    assert!(ok, "{out}");
    let scoped = token_in(&out);
    let http = reqwest::Client::new();
    let get = |token: String, url: String| {
        let http = http.clone();
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let url = format!("{}/api/v1{path}", app.base);
    assert_eq!(
        get(scoped.clone(), url.clone()).await,
        StatusCode::NOT_FOUND
    );
    let erase = http
        .delete(format!("{}/api/v1/candidates/nobody@example.com", app.base))
        .bearer_auth(&scoped)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(erase, StatusCode::FORBIDDEN);

    // Revoking a client stops its token at once, and only its token.
    let (ok, out) = server
        .command(&["create-api-client", "--name", "mailer"], "")
        .await;
    assert!(ok, "{out}");
    let mailer = token_in(&out);
    let mailer_id = out
        .lines()
        .find_map(|l| l.strip_prefix("Created API client "))
        .and_then(|l| l.split(' ').next())
        .unwrap()
        .to_string();
    assert_eq!(get(mailer.clone(), url.clone()).await, StatusCode::OK);
    let (ok, out) = server.command(&["revoke-api-client", &mailer_id], "").await;
    assert!(ok, "{out}");
    assert_eq!(get(mailer, url.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(app.marketplace_token().to_string(), url.clone()).await,
        StatusCode::OK
    );
    let (ok, out) = server.command(&["revoke-api-client", &mailer_id], "").await;
    assert!(!ok && out.contains("no active API client"), "{out}");
    assert_eq!(
        get("atsb_forged".into(), url).await,
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

fn token_in(out: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once("): ").map(|(_, t)| t.trim().to_string()))
        .unwrap_or_else(|| panic!("no token in {out}"))
}

async fn app_db(server: &ServerProcess) -> app::ssr::db::Db {
    app::ssr::db::Db::connect(&server.env("ATSB_DATABASE_URL"))
        .await
        .unwrap()
}

#[tokio::test]
async fn rotate_key_re_encrypts_account_tokens_and_the_server_runs_on_the_new_key() {
    let mut server = sqlite_server().await;
    let app = server.start(None).await;
    app.sign_in().await;
    app.connect("workable").await;
    server.stop().await;
    let db = app_db(&server).await;
    let before = db.sealed_account_tokens().await.unwrap();
    assert_eq!(before.len(), 1);

    let old = server.env("ATSB_ENCRYPTION_KEY");
    // base64 of the 32 bytes "rotated-test-encryption-key-32by"
    let new = "cm90YXRlZC10ZXN0LWVuY3J5cHRpb24ta2V5LTMyYnk=";
    server.set_env("ATSB_ENCRYPTION_KEY", new);
    let (ok, out) = server.command(&["rotate-key"], "").await;
    assert!(!ok && out.contains("ATSB_PREVIOUS_ENCRYPTION_KEY"), "{out}");
    server.set_env("ATSB_PREVIOUS_ENCRYPTION_KEY", &old);
    let (ok, out) = server.command(&["rotate-key"], "").await;
    assert!(
        ok && out.contains("Re-encrypted 1 account token(s)"),
        "{out}"
    );
    let (ok, out) = server.command(&["rotate-key"], "").await;
    assert!(
        ok && out.contains("Re-encrypted 0 account token(s)"),
        "re-running is harmless: {out}"
    );
    let after = db.sealed_account_tokens().await.unwrap();
    assert_ne!(after, before, "the stored ciphertext changed");

    // The new key alone opens the tokens: a sync (which calls Merge with the token) succeeds.
    server.unset_env("ATSB_PREVIOUS_ENCRYPTION_KEY");
    let app = server.start(None).await;
    app.sign_in().await;
    let done = app.sync_now().await;
    assert_eq!(done["sync"]["failed"], false, "{done}");
    server.stop().await;
}
