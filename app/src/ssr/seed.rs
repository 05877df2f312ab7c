//! The demo company seeded into an empty database in sandbox mode (never with a Merge key).

use profile_pdf::{Experience, Profile};

use super::{auth::hash_password, db::Db, repo::accounts::Role};

/// The demo hiring manager (a company admin).
pub const DEMO_EMAIL: &str = "manager@acme.example";
/// The demo password, printed at start-up.
pub const DEMO_PASSWORD: &str = "demo-password";
/// A second hiring manager who is not a company admin.
pub const DEMO_MEMBER_EMAIL: &str = "recruiter@acme.example";

/// Seeds the demo company if the database has no tenant yet. Returns true if it seeded.
pub async fn seed_demo(db: &Db) -> anyhow::Result<bool> {
    if db.has_tenants().await? {
        return Ok(false);
    }
    let tenant = db.create_tenant("Acme Robotics").await?;
    let hash = hash_password(DEMO_PASSWORD)?;
    db.create_login(Some(tenant), DEMO_EMAIL, "Dana Manager", &hash, Role::Admin)
        .await?;
    db.create_login(
        Some(tenant),
        DEMO_MEMBER_EMAIL,
        "Riley Recruiter",
        &hash,
        Role::Member,
    )
    .await?;
    for title in ["Backend Engineer (Go)", "Frontend Engineer"] {
        db.create_position(tenant, title, None).await?;
    }
    for p in demo_candidates() {
        db.insert_candidate(&p).await?;
    }
    Ok(true)
}

fn candidate(
    name: &str,
    email: &str,
    headline: &str,
    location: &str,
    skills: &[&str],
    job: (&str, &str),
) -> Profile {
    Profile {
        full_name: name.into(),
        headline: headline.into(),
        email: email.into(),
        phone: Some("+27 21 555 0100".into()),
        location: Some(location.into()),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        experience: vec![Experience {
            title: job.0.into(),
            company: job.1.into(),
            period: "2021 – present".into(),
            summary:
                "Builds and runs production services; mentors engineers; owns on-call quality."
                    .into(),
        }],
        links: vec![format!(
            "https://github.com/{}",
            email.split('@').next().unwrap_or("dev")
        )],
        profile_url: String::new(),
    }
}

/// Marketplace candidates with varied names (several outside Latin-1).
pub fn demo_candidates() -> Vec<Profile> {
    vec![
        candidate(
            "Zoë Ndlovu",
            "zoe.ndlovu@example.com",
            "Senior Backend Engineer",
            "Cape Town",
            &["Go", "PostgreSQL", "Kubernetes"],
            ("Senior Engineer", "Yoco"),
        ),
        candidate(
            "Łukasz Żółć",
            "lukasz.zolc@example.com",
            "Frontend Engineer",
            "Kraków",
            &["TypeScript", "React", "CSS"],
            ("Frontend Engineer", "Allegro"),
        ),
        candidate(
            "Thandi Mokoena",
            "thandi.mokoena@example.com",
            "Full-stack Developer",
            "Johannesburg",
            &["Rust", "Elixir", "AWS"],
            ("Developer", "Luno"),
        ),
        candidate(
            "Дмитрий Иванов",
            "dmitry.ivanov@example.com",
            "Data Engineer",
            "Amsterdam",
            &["Python", "Spark", "dbt"],
            ("Data Engineer", "Adyen"),
        ),
        candidate(
            "Nguyễn Thị Minh",
            "minh.nguyen@example.com",
            "Mobile Engineer",
            "Berlin",
            &["Kotlin", "Swift"],
            ("Mobile Engineer", "N26"),
        ),
        candidate(
            "Priya Naidoo",
            "priya.naidoo@example.com",
            "Platform Engineer",
            "Durban",
            &["Terraform", "Go", "GCP"],
            ("SRE", "Takealot"),
        ),
    ]
}
