//! Getting in, over real HTTP on SQLite and PostgreSQL: support creates a company and invites
//! its first admin, who invites a colleague; invitation and reset links are signed (403 when
//! tampered), expire (410) and work once (410); a password reset ends every session; with SMTP
//! configured, mail goes out by SMTP.

mod common;

use app::ssr::seed::{DEMO_EMAIL, DEMO_PASSWORD};
use common::server::{Backend, TestApp};
use serde_json::Value;

/// The link of the newest demo-mailbox message to `to`.
async fn mailed_link(app: &TestApp, to: &str) -> String {
    let (_, mail) = app.new_browser().get_fn("mailbox", &[]).await;
    mail.as_array()
        .unwrap()
        .iter()
        .find(|m| m["to"] == to)
        .map(|m| m["link"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no mail to {to}: {mail}"))
}

/// The token at the end of a link's path.
fn token(link: &str) -> String {
    url::Url::parse(link)
        .unwrap()
        .path_segments()
        .unwrap()
        .next_back()
        .unwrap()
        .to_string()
}

fn mail_count(mail: &Value, to: &str) -> usize {
    mail.as_array()
        .unwrap()
        .iter()
        .filter(|m| m["to"] == to)
        .count()
}

async fn a_company_is_created_invited_and_grows(backend: Backend) {
    let app = backend.spawn().await;
    let support = app.support().await;
    let created = [("company", "Globex"), ("email", "Hana@Globex.example")];
    assert_eq!(support.form_error("create_company", &created).await, None);
    let again = support
        .form_error("create_company", &created)
        .await
        .unwrap();
    assert!(again.contains("exists already"), "{again}");

    let link = mailed_link(&app, "hana@globex.example").await;
    assert!(link.contains("/invite/"), "{link}");
    let invite = token(&link);
    let hana = app.new_browser();
    let (status, offer) = hana.get_fn("team_invitation", &[("token", &invite)]).await;
    assert!(status.is_success(), "{offer}");
    assert_eq!(
        (offer["company"].as_str(), offer["as_admin"].as_bool()),
        (Some("Globex"), Some(true))
    );

    // Bad input: a clear error, and nothing is used up.
    let weak = [
        ("token", invite.as_str()),
        ("name", "Hana"),
        ("password", "short"),
    ];
    let err = hana.form_error("join_company", &weak).await.unwrap();
    assert!(err.contains("at least 12 characters"), "{err}");
    assert!(app
        .state()
        .db
        .login_by_email("hana@globex.example")
        .await
        .unwrap()
        .is_none());

    // A tampered link is refused; an expired one is gone.
    let mut tampered = invite.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let (status, _) = hana
        .get_fn("team_invitation", &[("token", &tampered)])
        .await;
    assert_eq!(status.as_u16(), 403);
    let id = invite.split('.').next().unwrap();
    let expired = app.state().crypto.sign_link(
        "invite",
        id,
        chrono::Utc::now() - chrono::Duration::minutes(1),
    );
    let (status, body) = hana.get_fn("team_invitation", &[("token", &expired)]).await;
    assert_eq!(status.as_u16(), 410, "{body}");

    let password = "globex admin password";
    let join = [
        ("token", invite.as_str()),
        ("name", "Hana Admin"),
        ("password", password),
    ];
    assert_eq!(hana.form_error("join_company", &join).await, None);
    // Single use.
    let (status, _) = hana.get_fn("team_invitation", &[("token", &invite)]).await;
    assert_eq!(status.as_u16(), 410);
    let reused = hana.form_error("join_company", &join).await.unwrap();
    assert!(reused.contains("expired or was already used"), "{reused}");

    hana.sign_in_as("hana@globex.example", password, "Hana Admin")
        .await;
    let (_, me) = hana.get_fn("me", &[]).await;
    assert_eq!(
        (me["company"].as_str(), me["is_admin"].as_bool()),
        (Some("Globex"), Some(true))
    );

    // The admin invites a colleague as a hiring manager.
    let taken = hana
        .form_error("invite_colleague", &[("email", DEMO_EMAIL)])
        .await
        .unwrap();
    assert!(taken.contains("already has an account"), "{taken}");
    assert_eq!(
        hana.form_error("invite_colleague", &[("email", "kai@globex.example")])
            .await,
        None
    );
    let kai_link = mailed_link(&app, "kai@globex.example").await;
    let kai = app.new_browser();
    let (_, offer) = kai
        .get_fn("team_invitation", &[("token", &token(&kai_link))])
        .await;
    assert_eq!(offer["as_admin"], false, "{offer}");
    let kai_join = [
        ("token", token(&kai_link)),
        ("name", "Kai Recruiter".to_string()),
        ("password", "kai's own password".to_string()),
    ];
    let kai_join: Vec<(&str, &str)> = kai_join.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(kai.form_error("join_company", &kai_join).await, None);
    kai.sign_in_as("kai@globex.example", "kai's own password", "Kai Recruiter")
        .await;
    let (_, me) = kai.get_fn("me", &[]).await;
    assert_eq!(
        (me["company"].as_str(), me["is_admin"].as_bool()),
        (Some("Globex"), Some(false))
    );
    // Kai sees Globex's data only, and may not invite.
    let (_, positions) = kai.get_fn("positions", &[("search", "")]).await;
    assert_eq!(positions["positions"], serde_json::json!([]), "{positions}");
    let (status, _) = kai
        .call("invite_colleague", &[("email", "x@globex.example")])
        .await;
    assert_eq!(status.as_u16(), 403);

    // The company's audit log tells the story.
    let (_, activity) = hana.get_fn("activity", &[]).await;
    let story: Vec<(String, String)> = activity
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .filter(|e| e["action"] != "signed in")
        .map(|e| {
            (
                e["who"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
            )
        })
        .collect();
    let s = |who: &str, what: &str| (who.to_string(), what.to_string());
    assert_eq!(
        story,
        [
            s("Sam Support (marketplace support)", "created the company"),
            s("Sam Support (marketplace support)", "invited a colleague"),
            s("Hana Admin", "accepted an invitation"),
            s("Hana Admin", "invited a colleague"),
            s("Kai Recruiter", "accepted an invitation"),
        ]
    );
    let (_, table) = support.get_fn("support_tenants", &[("q", "globex")]).await;
    assert_eq!(table["total"], 1, "{table}");
}

#[tokio::test]
async fn onboarding_on_sqlite() {
    a_company_is_created_invited_and_grows(Backend::Sqlite).await;
}

#[tokio::test]
async fn onboarding_on_postgres() {
    a_company_is_created_invited_and_grows(Backend::Postgres).await;
}

async fn a_password_reset_works_once_and_ends_every_session(backend: Backend) {
    let app = backend.spawn().await;
    app.sign_in().await;
    let visitor = app.new_browser();
    let asked = [("email", DEMO_EMAIL)];
    assert_eq!(
        visitor.form_error("request_password_reset", &asked).await,
        None
    );
    // An unknown address gets the same answer and no mail.
    let unknown = [("email", "nobody@nowhere.example")];
    assert_eq!(
        visitor.form_error("request_password_reset", &unknown).await,
        None
    );
    let (_, mail) = visitor.get_fn("mailbox", &[]).await;
    assert_eq!(mail_count(&mail, "nobody@nowhere.example"), 0);
    assert_eq!(mail_count(&mail, DEMO_EMAIL), 1);

    let reset = token(&mailed_link(&app, DEMO_EMAIL).await);
    let (_, email) = visitor.get_fn("password_reset", &[("token", &reset)]).await;
    assert_eq!(email, DEMO_EMAIL);
    // An invitation's signature does not open a reset (purposes are separate).
    let (status, _) = visitor
        .get_fn("team_invitation", &[("token", &reset)])
        .await;
    assert_eq!(status.as_u16(), 403);

    let new = "a brand new password";
    let form = [("token", reset.as_str()), ("password", new)];
    assert_eq!(visitor.form_error("reset_password", &form).await, None);
    let (_, me) = app.get_fn("me", &[]).await;
    assert_eq!(
        me,
        Value::Null,
        "the session opened before the reset has ended"
    );
    let (status, _) = visitor.get_fn("password_reset", &[("token", &reset)]).await;
    assert_eq!(status.as_u16(), 410, "a reset link works once");
    let old = app.new_browser();
    let refused = old
        .form_error(
            "login",
            &[("email", DEMO_EMAIL), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert!(refused.is_some(), "the old password no longer works");
    app.new_browser()
        .sign_in_as(DEMO_EMAIL, new, "Dana Manager")
        .await;
}

#[tokio::test]
async fn password_reset_on_sqlite() {
    a_password_reset_works_once_and_ends_every_session(Backend::Sqlite).await;
}

#[tokio::test]
async fn password_reset_on_postgres() {
    a_password_reset_works_once_and_ends_every_session(Backend::Postgres).await;
}

/// A plain SMTP server that accepts one message and hands over what it received.
async fn smtp_server() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 mail.test ESMTP\r\n").await.unwrap();
        let mut transcript = String::new();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            transcript.push_str(&line);
            transcript.push('\n');
            let reply: &[u8] = if in_data {
                if line == "." {
                    in_data = false;
                    b"250 queued\r\n"
                } else {
                    continue;
                }
            } else {
                match line
                    .split(' ')
                    .next()
                    .unwrap_or("")
                    .to_ascii_uppercase()
                    .as_str()
                {
                    "EHLO" | "HELO" => b"250 mail.test\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    }
                    _ => b"250 ok\r\n",
                }
            };
            write.write_all(reply).await.unwrap();
        }
        let _ = tx.send(transcript);
    });
    (port, rx)
}

#[tokio::test]
async fn invitations_go_out_by_smtp_when_it_is_configured() {
    let (port, received) = smtp_server().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let app = Backend::Sqlite
        .spawn_with(&[
            ("ATSB_SMTP_URL", &url),
            ("ATSB_MAIL_FROM", "ATS Bridge <atsb@marketplace.example>"),
        ])
        .await;
    let support = app.support().await;
    let created = [("company", "Initech"), ("email", "peter@initech.example")];
    assert_eq!(support.form_error("create_company", &created).await, None);
    let transcript = tokio::time::timeout(std::time::Duration::from_secs(10), received)
        .await
        .expect("the SMTP server got a message")
        .unwrap();
    assert!(
        transcript.contains("RCPT TO:<peter@initech.example>"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Subject: Join Initech on ATS Bridge"),
        "{transcript}"
    );
    assert!(transcript.contains("/invite/"), "{transcript}");
    let (_, mail) = app.new_browser().get_fn("mailbox", &[]).await;
    assert_eq!(
        mail_count(&mail, "peter@initech.example"),
        0,
        "not in the demo mailbox"
    );
}
