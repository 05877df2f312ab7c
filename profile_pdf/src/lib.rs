//! Renders a marketplace candidate's profile as an A4 PDF with an embedded, subsetted Unicode TrueType font (DejaVu Sans).

mod layout;

use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::{Deserialize, Serialize};

use layout::{Composer, FontState, Page, Style, INK, LINK, MUTED, PAGE_HEIGHT, PAGE_WIDTH};

/// DejaVu Sans (Bitstream Vera licence, see `fonts/LICENSE`).
const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold (Bitstream Vera licence, see `fonts/LICENSE`).
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The character collection of both embedded CID fonts.
const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// A marketplace candidate's profile, as shown to an ATS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The candidate's name; must not be blank.
    pub full_name: String,
    /// One-line professional headline.
    pub headline: String,
    /// Contact email address.
    pub email: String,
    /// Contact phone number, if shared.
    pub phone: Option<String>,
    /// Where the candidate is based, if shared.
    pub location: Option<String>,
    /// Skills, in display order.
    pub skills: Vec<String>,
    /// Work history, in display order.
    pub experience: Vec<Experience>,
    /// Portfolio, social or other links.
    pub links: Vec<String>,
    /// The candidate's public profile page on the marketplace.
    pub profile_url: String,
}

/// One position in a candidate's work history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experience {
    /// Job title.
    pub title: String,
    /// Employer.
    pub company: String,
    /// Free-form period, e.g. "2021 – present".
    pub period: String,
    /// What the candidate did; line breaks start new paragraphs.
    pub summary: String,
}

/// Why a profile could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The profile itself is unusable, e.g. it has no name.
    #[error("{0}")]
    Invalid(String),
    /// The bundled font could not be read or subsetted.
    #[error("font error: {0}")]
    Font(String),
}

/// Renders `profile` as a complete PDF file (A4, one or more pages).
///
/// Text is set in an embedded subset of DejaVu Sans with a `/ToUnicode`
/// map, so names in Latin, Cyrillic, Greek or Vietnamese script render and
/// extract correctly; characters the font lacks are drawn as U+FFFD.
/// The output is deterministic for a given profile.
///
/// # Errors
/// [`PdfError::Invalid`] if `full_name` is blank; [`PdfError::Font`] if
/// the bundled font cannot be processed.
pub fn render(profile: &Profile) -> Result<Vec<u8>, PdfError> {
    let name = layout::clean(&profile.full_name);
    if name.is_empty() {
        return Err(PdfError::Invalid("full name is required".to_owned()));
    }
    let title = format!("{name} — marketplace profile");
    let mut doc = Composer::new(REGULAR, BOLD)?;
    compose(&mut doc, profile, &name);
    let (fonts, pages) = doc.finish(&title);
    write_pdf(&fonts, pages, &title)
}

/// Lays the profile's sections out onto pages.
fn compose(doc: &mut Composer<'_>, profile: &Profile, name: &str) {
    doc.paragraph(Style::Bold, 22.0, INK, 0.0, name, None);
    doc.space(2.0);
    let headline = layout::clean(&profile.headline);
    if !headline.is_empty() {
        doc.paragraph(Style::Regular, 12.5, MUTED, 0.0, &headline, None);
    }
    let contact: Vec<String> = [
        Some(&profile.email),
        profile.phone.as_ref(),
        profile.location.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|s| layout::clean(s))
    .filter(|s| !s.is_empty())
    .collect();
    if !contact.is_empty() {
        doc.space(4.0);
        doc.paragraph(Style::Regular, 10.0, INK, 0.0, &contact.join("  ·  "), None);
    }

    let skills: Vec<String> = profile
        .skills
        .iter()
        .map(|s| layout::clean(s))
        .filter(|s| !s.is_empty())
        .collect();
    if !skills.is_empty() {
        doc.heading("Skills", Composer::line_height(10.0));
        doc.paragraph(Style::Regular, 10.0, INK, 0.0, &skills.join("  ·  "), None);
    }

    let entries: Vec<&Experience> = profile
        .experience
        .iter()
        .filter(|e| {
            [&e.title, &e.company, &e.period, &e.summary]
                .iter()
                .any(|s| !layout::clean(s).is_empty())
        })
        .collect();
    if !entries.is_empty() {
        doc.heading("Experience", 3.0 * Composer::line_height(10.0));
        for (index, entry) in entries.into_iter().enumerate() {
            if index > 0 {
                doc.space(8.0);
            }
            experience(doc, entry);
        }
    }

    let links: Vec<String> = profile
        .links
        .iter()
        .map(|s| layout::clean(s))
        .filter(|s| !s.is_empty())
        .collect();
    if !links.is_empty() {
        doc.heading("Links", Composer::line_height(10.0));
        for link in &links {
            link_line(doc, link);
        }
    }

    let url = layout::clean(&profile.profile_url);
    if !url.is_empty() {
        doc.heading("Marketplace profile", Composer::line_height(10.0));
        link_line(doc, &url);
    }
}

/// One experience entry: "title at company", period, summary paragraphs.
fn experience(doc: &mut Composer<'_>, entry: &Experience) {
    let title = layout::clean(&entry.title);
    let company = layout::clean(&entry.company);
    let period = layout::clean(&entry.period);
    let header = match (title.is_empty(), company.is_empty()) {
        (false, false) => format!("{title} at {company}"),
        (false, true) => title,
        (true, false) => company,
        (true, true) => String::new(),
    };
    // Keep the header, the period and a first summary line together.
    doc.keep(Composer::line_height(11.0) + 2.0 * Composer::line_height(10.0));
    if !header.is_empty() {
        doc.paragraph(Style::Bold, 11.0, INK, 0.0, &header, None);
    }
    if !period.is_empty() {
        doc.paragraph(Style::Regular, 9.5, MUTED, 0.0, &period, None);
    }
    for paragraph in layout::paragraphs(&entry.summary) {
        doc.space(2.0);
        doc.paragraph(Style::Regular, 10.0, INK, 0.0, &paragraph, None);
    }
}

/// A link on its own line, clickable when it is a web or mail address.
fn link_line(doc: &mut Composer<'_>, text: &str) {
    let uri = link_target(text);
    let color = if uri.is_some() { LINK } else { INK };
    doc.paragraph(Style::Regular, 10.0, color, 0.0, text, uri.as_deref());
}

/// The URI for a link annotation: http(s) and mailto only, percent-encoding
/// anything outside printable ASCII.
fn link_target(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if !["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let mut uri = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_graphic() {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(uri)
}

/// Allocates consecutive indirect object ids.
struct Ids(Ref);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0.bump()
    }
}

/// Serialises the laid-out pages, fonts and metadata.
fn write_pdf(
    fonts: &[FontState<'_>; 2],
    pages: Vec<Page>,
    title: &str,
) -> Result<Vec<u8>, PdfError> {
    let mut ids = Ids(Ref::new(1));
    let catalog = ids.next();
    let tree = ids.next();
    let info = ids.next();
    let mut pdf = Pdf::new();

    let regular = write_font(&mut pdf, &mut ids, &fonts[0], "DejaVuSans")?;
    let bold = write_font(&mut pdf, &mut ids, &fonts[1], "DejaVuSans-Bold")?;

    let page_ids: Vec<Ref> = pages.iter().map(|_| ids.next()).collect();
    for (page, &page_id) in pages.into_iter().zip(&page_ids) {
        let content_id = ids.next();
        let link_ids: Vec<Ref> = page.links.iter().map(|_| ids.next()).collect();

        let mut writer = pdf.page(page_id);
        writer
            .parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        if !link_ids.is_empty() {
            writer.annotations(link_ids.iter().copied());
        }
        writer
            .resources()
            .fonts()
            .pair(Style::Regular.resource(), regular)
            .pair(Style::Bold.resource(), bold);
        writer.finish();

        let content = deflate(&page.content.finish());
        pdf.stream(content_id, &content).filter(Filter::FlateDecode);

        for (link, &link_id) in page.links.iter().zip(&link_ids) {
            let [x0, y0, x1, y1] = link.rect;
            let mut annotation = pdf.annotation(link_id);
            annotation
                .subtype(AnnotationType::Link)
                .rect(Rect::new(x0, y0, x1, y1))
                .border(0.0, 0.0, 0.0, None);
            annotation
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(link.uri.as_bytes()));
        }
    }

    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    pdf.catalog(catalog)
        .pages(tree)
        .viewer_preferences()
        .display_doc_title(true);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("ATS Bridge"))
        .producer(TextStr("ATS Bridge profile_pdf"));
    Ok(pdf.finish())
}

/// Writes one face as a Type0 font over a subsetted CIDFontType2 with a
/// `/ToUnicode` CMap; returns the Type0 font's id.
fn write_font(
    pdf: &mut Pdf,
    ids: &mut Ids,
    font: &FontState<'_>,
    postscript_name: &str,
) -> Result<Ref, PdfError> {
    let type0 = ids.next();
    let cid = ids.next();
    let descriptor = ids.next();
    let file = ids.next();
    let cmap = ids.next();

    let subset = subsetter::subset(font.data, 0, &font.remapper)
        .map_err(|e| PdfError::Font(format!("cannot subset {postscript_name}: {e}")))?;
    let base_font = format!("{}+{postscript_name}", subset_tag(font));
    let base_font = Name(base_font.as_bytes());

    pdf.type0_font(type0)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(IDENTITY)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, font.widths());
    cid_font.finish();

    let face = &font.face;
    let scale = 1000.0 / f32::from(face.units_per_em());
    let bbox = face.global_bounding_box();
    let ascent = f32::from(face.ascender()) * scale;
    let weight = face.weight().to_number();
    pdf.font_descriptor(descriptor)
        .name(base_font)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(face.italic_angle())
        .ascent(ascent)
        .descent(f32::from(face.descender()) * scale)
        .cap_height(
            face.capital_height()
                .map_or(ascent, |h| f32::from(h) * scale),
        )
        .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0))
        .font_file2(file);

    let compressed = deflate(&subset);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(subset.len()).unwrap_or(i32::MAX),
        );

    let mut unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (&code, &c) in &font.to_unicode {
        unicode.pair(code, c);
    }
    let data = deflate(&unicode.finish());
    pdf.cmap(cmap, &data).filter(Filter::FlateDecode);
    Ok(type0)
}

/// The six-letter subset prefix, derived from the glyphs in the subset.
fn subset_tag(font: &FontState<'_>) -> String {
    // FNV-1a over the kept glyph ids.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for gid in font.remapper.remapped_gids() {
        for byte in gid.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let letter = b'A' + (hash % 26) as u8;
            hash /= 26;
            char::from(letter)
        })
        .collect()
}

/// zlib-compresses a stream body for `/FlateDecode`.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
