//! The operator's commands (`server <command> ...`): everything that must not be possible from
//! the web, such as creating support staff or API clients and rotating the encryption key.

use std::io::BufRead;

use anyhow::{bail, Context};
use app::ssr::{config::Config, db::Db, onboarding};

pub const USAGE: &str = "usage: server [serve]
       server create-user --support --email <e-mail> --name <name>   (password from stdin, or generated)
       server create-api-client --name <name> [--company <company id>]  (prints the token once)
       server revoke-api-client <client id>
       server list-api-clients
       server rotate-key                  (ATSB_ENCRYPTION_KEY new, ATSB_PREVIOUS_ENCRYPTION_KEY old)
       server erase-candidate <candidate id or e-mail>";

/// `--flag value` pairs and bare `--switch`es.
struct Flags<'a>(&'a [String]);

impl<'a> Flags<'a> {
    fn value(&self, name: &str) -> anyhow::Result<&'a str> {
        let i = self
            .0
            .iter()
            .position(|a| a == name)
            .with_context(|| format!("{name} is required\n{USAGE}"))?;
        self.0
            .get(i + 1)
            .map(String::as_str)
            .filter(|v| !v.starts_with("--"))
            .with_context(|| format!("{name} needs a value\n{USAGE}"))
    }

    fn switch(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }
}

async fn db() -> anyhow::Result<(Config, Db)> {
    let config = Config::from_env().context("reading the configuration")?;
    let db = Db::connect(&config.database_url).await?;
    Ok((config, db))
}

/// Runs a command; None when `args` name none (then the server serves).
pub async fn run(args: &[String]) -> Option<anyhow::Result<()>> {
    let (cmd, rest) = args.split_first()?;
    let flags = Flags(rest);
    Some(match cmd.as_str() {
        "serve" => return None,
        "create-user" => create_user(&flags).await,
        "create-api-client" => create_api_client(&flags).await,
        "revoke-api-client" => match rest {
            [id] => revoke_api_client(id).await,
            _ => Err(anyhow::anyhow!("{USAGE}")),
        },
        "list-api-clients" => list_api_clients().await,
        "rotate-key" => rotate_key().await,
        "erase-candidate" => match rest {
            [who] => erase_candidate(who).await,
            _ => Err(anyhow::anyhow!("{USAGE}")),
        },
        _ => Err(anyhow::anyhow!("unknown command {cmd:?}\n{USAGE}")),
    })
}

/// The password: the first line of stdin when it is not a terminal, else a generated one.
fn password() -> anyhow::Result<(String, bool)> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Ok((onboarding::generated_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        Ok((onboarding::generated_password(), true))
    } else {
        Ok((line, false))
    }
}

async fn create_user(flags: &Flags<'_>) -> anyhow::Result<()> {
    if !flags.switch("--support") {
        bail!(
            "only support staff are created here (--support); companies and their hiring \
             managers are created in the support console and invited by e-mail\n{USAGE}"
        );
    }
    let email = flags.value("--email")?;
    let name = flags.value("--name")?;
    let (password, generated) = password()?;
    let (_, db) = db().await?;
    onboarding::create_support_user(&db, email, name, &password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Created support user {email}.");
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

async fn create_api_client(flags: &Flags<'_>) -> anyhow::Result<()> {
    let name = flags.value("--name")?;
    let company = flags
        .switch("--company")
        .then(|| flags.value("--company"))
        .transpose()?;
    let (_, db) = db().await?;
    let (id, token) = app::ssr::api_clients::create(&db, name, company)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let scope = company.map_or("every company".to_string(), |c| format!("company {c} only"));
    println!("Created API client {id} ({name}, {scope}).");
    println!("Bearer token (shown once; store it in the client's secret store): {token}");
    Ok(())
}

async fn revoke_api_client(id: &str) -> anyhow::Result<()> {
    let (_, db) = db().await?;
    if app::ssr::api_clients::revoke(&db, id).await? {
        println!("Revoked API client {id}: its token no longer works.");
        Ok(())
    } else {
        bail!("no active API client {id:?}; nothing was changed")
    }
}

async fn list_api_clients() -> anyhow::Result<()> {
    let (_, db) = db().await?;
    for c in db.api_clients().await? {
        let state = match c.revoked_at {
            Some(at) => format!("revoked {at}"),
            None => "active".into(),
        };
        let used = c
            .last_used_at
            .map(|t| t.to_string())
            .unwrap_or_else(|| "never".into());
        println!("{}\t{}\t{state}\tlast used {used}", c.public_id, c.name);
    }
    Ok(())
}

async fn rotate_key() -> anyhow::Result<()> {
    let (config, db) = db().await?;
    let previous = config
        .previous_encryption_key
        .context("ATSB_PREVIOUS_ENCRYPTION_KEY (the key being replaced) is required")?;
    let n = app::ssr::crypto::rotate(&db, &previous, &config.encryption_key).await?;
    println!("Re-encrypted {n} account token(s) under the new key.");
    Ok(())
}

/// `server erase-candidate <id or e-mail>`: erases a marketplace candidate's data here and
/// cancels their queued pushes (the same as `DELETE /api/v1/candidates/{id}`).
async fn erase_candidate(who: &str) -> anyhow::Result<()> {
    let (_, db) = db().await?;
    match db.erase_candidate(who).await? {
        Some(e) => {
            println!(
                "Erased candidate {}: {} interview request(s) removed, {} queued push(es) cancelled.",
                e.candidate_id, e.requests_removed, e.pushes_cancelled
            );
            Ok(())
        }
        None => bail!("no candidate with id or e-mail {who:?}; nothing was changed"),
    }
}
