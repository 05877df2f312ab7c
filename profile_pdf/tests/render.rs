//! End-to-end checks of `profile_pdf::render`, read back with poppler-utils and qpdf.

use std::path::PathBuf;
use std::process::{Command, Output};

use profile_pdf::{render, Experience, PdfError, Profile};

const INSTALL_HINT: &str = "install them with `apt-get install poppler-utils qpdf`";

/// Runs a Debian tool; fails the test when it is not installed.
fn run(program: &str, args: &[&str]) -> Output {
    match Command::new(program).args(args).output() {
        Ok(output) => output,
        Err(e) => panic!(
            "cannot run `{program}` ({e}): these tests need poppler-utils and qpdf; {INSTALL_HINT}"
        ),
    }
}

/// Runs a tool that must succeed and returns its stdout.
fn check(program: &str, args: &[&str]) -> String {
    let output = run(program, args);
    assert!(
        output.status.success(),
        "`{program} {}` failed with {}:\n{}\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("tool output is UTF-8")
}

/// Renders `profile` and writes it to a per-test file.
fn write(tag: &str, profile: &Profile) -> (Vec<u8>, String) {
    let bytes = render(profile).expect("profile renders");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("profile_pdf");
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let path = dir.join(format!("{tag}.pdf"));
    std::fs::write(&path, &bytes).expect("write pdf");
    (bytes, path.to_str().expect("utf-8 path").to_owned())
}

fn text(path: &str) -> String {
    check("pdftotext", &["-enc", "UTF-8", path, "-"])
}

fn info(path: &str, field: &str) -> String {
    let out = check("pdfinfo", &["-enc", "UTF-8", path]);
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("pdfinfo has no {field}:\n{out}"))
        .trim()
        .to_owned()
}

fn qpdf_check(path: &str) {
    let out = check("qpdf", &["--check", path]);
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "{out}"
    );
}

fn sample(name: &str) -> Profile {
    Profile {
        full_name: name.to_owned(),
        headline: "Senior Backend Engineer · distributed systems".to_owned(),
        email: "candidate@example.com".to_owned(),
        phone: Some("+27 21 555 0100".to_owned()),
        location: Some("Cape Town, South Africa".to_owned()),
        skills: vec![
            "Rust".to_owned(),
            "PostgreSQL".to_owned(),
            "Kubernetes".to_owned(),
        ],
        experience: vec![
            Experience {
                title: "Staff Engineer".to_owned(),
                company: "Acme Logistics".to_owned(),
                period: "2021 – present".to_owned(),
                summary: "Led the rewrite of the dispatch platform in Rust, cutting p99 latency \
                          by 70% while handling twice the traffic. Mentored six engineers and \
                          introduced on-call runbooks.\nOwned the Postgres migration."
                    .to_owned(),
            },
            Experience {
                title: "Backend Developer".to_owned(),
                company: "Globex Payments".to_owned(),
                period: "2017 – 2021".to_owned(),
                summary: "Built settlement services.".to_owned(),
            },
        ],
        links: vec![
            "https://github.com/candidate".to_owned(),
            "https://candidate.dev".to_owned(),
        ],
        profile_url: "https://marketplace.example/candidates/42".to_owned(),
    }
}

#[test]
fn rejects_blank_full_name() {
    for name in ["", "   ", "\n\t"] {
        assert_eq!(
            render(&sample(name)),
            Err(PdfError::Invalid("full name is required".to_owned()))
        );
    }
    assert_eq!(
        PdfError::Invalid("full name is required".to_owned()).to_string(),
        "full name is required"
    );
}

#[test]
fn output_is_framed_as_pdf() {
    let bytes = render(&sample("Zoë Ndlovu-Müller")).expect("renders");
    assert!(bytes.starts_with(b"%PDF-"));
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .expect("not blank");
    assert!(bytes[..=end].ends_with(b"%%EOF"));
}

#[test]
fn qpdf_check_passes() {
    let (_, path) = write("qpdf_latin", &sample("Zoë Ndlovu-Müller"));
    qpdf_check(&path);
    let (_, path) = write("qpdf_cyrillic", &sample("Дмитрий Иванов"));
    qpdf_check(&path);
}

#[test]
fn extracts_latin_profile_text() {
    let (_, path) = write("latin", &sample("Zoë Ndlovu-Müller"));
    let text = text(&path);
    for expected in [
        "Zoë Ndlovu-Müller",
        "Senior Backend Engineer · distributed systems",
        "candidate@example.com",
        "+27 21 555 0100",
        "Cape Town, South Africa",
        "Skills",
        "Rust",
        "PostgreSQL",
        "Kubernetes",
        "Experience",
        "Staff Engineer at Acme Logistics",
        "2021 – present",
        "Owned the Postgres migration.",
        "Globex Payments",
        "Links",
        "https://github.com/candidate",
        "https://candidate.dev",
        "https://marketplace.example/candidates/42",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn extracts_non_latin1_names() {
    let names = [
        "Łukasz Żółć",
        "Дмитрий Иванов",
        "Nguyễn Thị Minh",
        "Zoë Ndlovu-Müller",
        "Αλέξανδρος Παπαδόπουλος",
    ];
    for (index, name) in names.into_iter().enumerate() {
        let mut profile = sample(name);
        profile.experience[0].company = "ООО «Северсталь»".to_owned();
        let (_, path) = write(&format!("names_{index}"), &profile);
        let text = text(&path);
        assert!(text.contains(name), "missing {name:?} in:\n{text}");
        assert!(
            text.contains("Staff Engineer at ООО «Северсталь»"),
            "{text}"
        );
        assert!(text.contains("Kubernetes"), "{text}");
    }
}

#[test]
fn characters_missing_from_the_font_do_not_break_the_file() {
    let (_, path) = write("cjk", &sample("张伟 Zhang Wei"));
    qpdf_check(&path);
    let text = text(&path);
    assert!(text.contains("\u{FFFD}\u{FFFD} Zhang Wei"), "{text}");
}

#[test]
fn document_title_names_the_candidate() {
    let (_, path) = write("title", &sample("Łukasz Żółć"));
    assert_eq!(info(&path, "Title"), "Łukasz Żółć — marketplace profile");
    assert_eq!(info(&path, "Page size"), "595.28 x 841.89 pts (A4)");
}

#[test]
fn fonts_are_embedded_subsets_with_unicode_maps() {
    let (_, path) = write("fonts", &sample("Дмитрий Иванов"));
    let out = check("pdffonts", &[&path]);
    // name type encoding emb sub uni object-id: the last five columns are fixed.
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .collect();
    assert_eq!(rows.len(), 2, "expected regular and bold faces:\n{out}");
    assert_eq!(out.matches("CID TrueType").count(), 2, "{out}");
    for row in rows {
        let n = row.len();
        assert!(
            row[0].ends_with("+DejaVuSans") || row[0].ends_with("+DejaVuSans-Bold"),
            "{out}"
        );
        assert_eq!(row[n - 5], "yes", "font not embedded:\n{out}");
        assert_eq!(row[n - 4], "yes", "font not subset:\n{out}");
        assert_eq!(row[n - 3], "yes", "font has no ToUnicode map:\n{out}");
    }
}

#[test]
fn long_profile_spans_pages_and_keeps_every_entry() {
    let mut profile = sample("Łukasz Żółć");
    profile.experience = (1..=40)
        .map(|i| Experience {
            title: format!("Engineer level {i}"),
            company: format!("Northwind{i:02}"),
            period: format!("{} – {}", 1980 + i, 1981 + i),
            summary: "Designed, built and operated services; ".repeat(6),
        })
        .collect();
    let (_, path) = write("long", &profile);
    qpdf_check(&path);
    let pages: usize = info(&path, "Pages").parse().expect("page count");
    assert!(pages > 1, "40 entries fit on {pages} page(s)");
    let text = text(&path);
    for i in 1..=40 {
        let company = format!("Northwind{i:02}");
        assert!(text.contains(&company), "missing {company}");
    }
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    assert!(text.contains("https://marketplace.example/candidates/42"));
}

#[test]
fn text_stays_inside_the_page() {
    let mut profile = sample("Nguyễn Thị Minh");
    profile
        .links
        .push(format!("https://example.com/{}", "x".repeat(400)));
    profile.experience[0].summary = "Unbreakable".repeat(80);
    profile.headline = "word ".repeat(300);
    let (_, path) = write("bbox", &profile);
    let html = check("pdftotext", &["-bbox", &path, "-"]);
    let coords = |attr: &str| -> Vec<f32> {
        html.split(&format!("{attr}=\""))
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect()
    };
    let (x_min, x_max) = (coords("xMin"), coords("xMax"));
    assert!(x_min.len() > 100);
    assert!(x_min.iter().all(|&x| x >= 55.5), "text left of the margin");
    let words_max = x_max.iter().copied().fold(0.0_f32, f32::max);
    assert!(
        words_max <= 595.28 - 55.5,
        "text right of the margin: {words_max}"
    );
}

#[test]
fn links_are_clickable() {
    let (bytes, _) = write("links", &sample("Zoë Ndlovu-Müller"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/URI (https://github.com/candidate)"));
    assert!(raw.contains("/URI (https://marketplace.example/candidates/42)"));
}

#[test]
fn minimal_profile_renders() {
    let profile = Profile {
        full_name: "Ana".to_owned(),
        headline: String::new(),
        email: String::new(),
        phone: None,
        location: None,
        skills: Vec::new(),
        experience: Vec::new(),
        links: Vec::new(),
        profile_url: String::new(),
    };
    let (_, path) = write("minimal", &profile);
    qpdf_check(&path);
    let text = text(&path);
    assert!(text.contains("Ana"));
    assert!(!text.contains("Skills") && !text.contains("Experience"));
}

#[test]
fn typical_pdf_is_small_and_deterministic() {
    let profile = sample("Zoë Ndlovu-Müller");
    let first = render(&profile).expect("renders");
    assert_eq!(first, render(&profile).expect("renders"));
    // The full fonts are ~1.4 MB; subsets keep a profile to a few tens of kB.
    assert!(first.len() < 80_000, "{} bytes", first.len());
}

#[test]
fn profile_round_trips_through_json() {
    let profile = sample("Дмитрий Иванов");
    let json = serde_json::to_string(&profile).expect("serialize");
    let back: Profile = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, profile);
}
