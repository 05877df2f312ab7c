//! Text measurement, line wrapping and page composition for the profile PDF.

use std::collections::BTreeMap;

use pdf_writer::{Content, Name, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

use crate::PdfError;

/// A4 width in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// Left, right and top margin in points.
const MARGIN: f32 = 56.0;
/// Nothing but the footer is drawn below this line.
const BOTTOM: f32 = 60.0;
/// Baseline of the page footer.
const FOOTER_BASELINE: f32 = 32.0;
/// Width available to body text.
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.35;

/// An RGB fill colour, components in `0.0..=1.0`.
pub(crate) type Rgb = (f32, f32, f32);
/// Near-black for body text.
pub(crate) const INK: Rgb = (0.1, 0.1, 0.12);
/// Grey for secondary text.
pub(crate) const MUTED: Rgb = (0.38, 0.38, 0.42);
/// Blue for links.
pub(crate) const LINK: Rgb = (0.05, 0.3, 0.7);

/// Which of the two embedded faces to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

impl Style {
    /// The page resource name of the face.
    pub(crate) fn resource(self) -> Name<'static> {
        match self {
            Style::Regular => Name(b"F1"),
            Style::Bold => Name(b"F2"),
        }
    }
}

/// One embedded TrueType face and the glyphs the document uses from it.
pub(crate) struct FontState<'a> {
    /// The complete font file.
    pub data: &'a [u8],
    /// The parsed face, for metrics and the character map.
    pub face: Face<'a>,
    /// Old glyph id → CID (= glyph id in the subset).
    pub remapper: GlyphRemapper,
    /// CID → the character it shows, for the `/ToUnicode` CMap.
    pub to_unicode: BTreeMap<u16, char>,
    /// Glyph and character drawn for characters the face lacks.
    fallback: (u16, char),
}

impl<'a> FontState<'a> {
    fn new(data: &'a [u8]) -> Result<Self, PdfError> {
        let face =
            Face::parse(data, 0).map_err(|e| PdfError::Font(format!("cannot parse font: {e}")))?;
        let fallback = ['\u{FFFD}', '?']
            .into_iter()
            .find_map(|c| face.glyph_index(c).map(|g| (g.0, c)))
            .unwrap_or((0, '\u{FFFD}'));
        Ok(Self {
            data,
            face,
            remapper: GlyphRemapper::new(),
            to_unicode: BTreeMap::new(),
            fallback,
        })
    }

    /// The glyph drawn for `c` and the character it stands for in extracted text.
    fn glyph(&self, c: char) -> (u16, char) {
        match self.face.glyph_index(c) {
            Some(g) => (g.0, c),
            None => self.fallback,
        }
    }

    /// Advance of `c` at font size 1.
    fn advance(&self, c: char) -> f32 {
        let (gid, _) = self.glyph(c);
        let advance = self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
        f32::from(advance) / f32::from(self.face.units_per_em())
    }

    /// Width of `text` at font size `size`.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Encodes `text` as big-endian CIDs (`Identity-H`), recording the glyphs used.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (gid, shown) = self.glyph(c);
            let cid = self.remapper.remap(gid);
            self.to_unicode.entry(cid).or_insert(shown);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Glyph widths in 1/1000 em, indexed by CID.
    pub(crate) fn widths(&self) -> Vec<f32> {
        let scale = 1000.0 / f32::from(self.face.units_per_em());
        self.remapper
            .remapped_gids()
            .map(|gid| f32::from(self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0)) * scale)
            .collect()
    }
}

/// A clickable URI area on a page, in PDF user space.
pub(crate) struct Link {
    /// `[x0, y0, x1, y1]`.
    pub rect: [f32; 4],
    /// The target, already 7-bit clean.
    pub uri: String,
}

/// One laid-out page.
pub(crate) struct Page {
    /// Its drawing operations.
    pub content: Content,
    /// Its link annotations.
    pub links: Vec<Link>,
}

/// Flows text top to bottom over as many A4 pages as it needs.
pub(crate) struct Composer<'a> {
    fonts: [FontState<'a>; 2],
    pages: Vec<Page>,
    /// Top of the next line box on the current page.
    y: f32,
}

impl<'a> Composer<'a> {
    /// Starts a document with one empty page.
    pub(crate) fn new(regular: &'a [u8], bold: &'a [u8]) -> Result<Self, PdfError> {
        let mut composer = Self {
            fonts: [FontState::new(regular)?, FontState::new(bold)?],
            pages: Vec::new(),
            y: 0.0,
        };
        composer.new_page();
        Ok(composer)
    }

    fn font(&self, style: Style) -> &FontState<'a> {
        match style {
            Style::Regular => &self.fonts[0],
            Style::Bold => &self.fonts[1],
        }
    }

    fn font_mut(&mut self, style: Style) -> &mut FontState<'a> {
        match style {
            Style::Regular => &mut self.fonts[0],
            Style::Bold => &mut self.fonts[1],
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            content: Content::new(),
            links: Vec::new(),
        });
        self.y = PAGE_HEIGHT - MARGIN;
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Width of `text` in points.
    pub(crate) fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        self.font(style).width(text, size)
    }

    /// Height of one line of text at `size`.
    pub(crate) fn line_height(size: f32) -> f32 {
        size * LEADING
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        let at_top = self.y >= PAGE_HEIGHT - MARGIN;
        if self.y - height < BOTTOM && !at_top {
            self.new_page();
        }
    }

    /// Vertical gap; swallowed at the top of a page.
    pub(crate) fn space(&mut self, height: f32) {
        if self.y < PAGE_HEIGHT - MARGIN {
            self.y = (self.y - height).max(BOTTOM);
        }
    }

    /// Greedy word wrap of `text` to `max` points; words wider than a line are
    /// broken between characters.
    pub(crate) fn wrap(&self, style: Style, size: f32, text: &str, max: f32) -> Vec<String> {
        let font = self.font(style);
        let space = font.width(" ", size);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in text.split_whitespace() {
            let word_w = font.width(word, size);
            let needed = if line.is_empty() {
                word_w
            } else {
                line_w + space + word_w
            };
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = needed;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if word_w <= max {
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            for c in word.chars() {
                let c_w = font.width(c.encode_utf8(&mut [0; 4]), size);
                if line_w + c_w > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += c_w;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws one line with its baseline at `baseline`; returns its width.
    fn draw(
        &mut self,
        style: Style,
        size: f32,
        color: Rgb,
        x: f32,
        baseline: f32,
        text: &str,
    ) -> f32 {
        let width = self.width(style, size, text);
        let encoded = self.font_mut(style).encode(text);
        let content = &mut self.page().content;
        content
            .begin_text()
            .set_fill_rgb(color.0, color.1, color.2)
            .set_font(style.resource(), size)
            .next_line(x, baseline)
            .show(Str(&encoded))
            .end_text();
        width
    }

    /// Wraps `text` to the text width (less `indent`) and flows it onto the
    /// pages; with `uri`, each line becomes a link to it.
    pub(crate) fn paragraph(
        &mut self,
        style: Style,
        size: f32,
        color: Rgb,
        indent: f32,
        text: &str,
        uri: Option<&str>,
    ) {
        let height = Self::line_height(size);
        for line in self.wrap(style, size, text, TEXT_WIDTH - indent) {
            self.keep(height);
            let baseline = self.y - size;
            let x = MARGIN + indent;
            let width = self.draw(style, size, color, x, baseline, &line);
            if let Some(uri) = uri {
                self.page().links.push(Link {
                    rect: [x, baseline - 0.25 * size, x + width, baseline + 0.95 * size],
                    uri: uri.to_owned(),
                });
            }
            self.y -= height;
        }
    }

    /// A section heading with a rule under it, kept with `following` points of content.
    pub(crate) fn heading(&mut self, text: &str, following: f32) {
        let size = 13.0;
        self.space(14.0);
        self.keep(Self::line_height(size) + 6.0 + following);
        self.paragraph(Style::Bold, size, INK, 0.0, text, None);
        let rule_y = self.y + 0.12 * size;
        self.page()
            .content
            .set_stroke_rgb(0.75, 0.75, 0.8)
            .set_line_width(0.6)
            .move_to(MARGIN, rule_y)
            .line_to(PAGE_WIDTH - MARGIN, rule_y)
            .stroke();
        self.space(6.0);
    }

    /// Adds `label · Page i of n` footers and hands back the fonts and pages.
    pub(crate) fn finish(mut self, label: &str) -> ([FontState<'a>; 2], Vec<Page>) {
        let size = 8.0;
        let label = self
            .wrap(Style::Regular, size, label, TEXT_WIDTH * 0.7)
            .into_iter()
            .next()
            .unwrap_or_default();
        let count = self.pages.len();
        for index in 0..count {
            let number = format!("Page {} of {}", index + 1, count);
            let number_w = self.width(Style::Regular, size, &number);
            let left = self.font_mut(Style::Regular).encode(&label);
            let right = self.font_mut(Style::Regular).encode(&number);
            let content = &mut self.pages[index].content;
            content
                .begin_text()
                .set_fill_rgb(MUTED.0, MUTED.1, MUTED.2)
                .set_font(Style::Regular.resource(), size)
                .next_line(MARGIN, FOOTER_BASELINE)
                .show(Str(&left))
                .end_text()
                .begin_text()
                .set_font(Style::Regular.resource(), size)
                .next_line(PAGE_WIDTH - MARGIN - number_w, FOOTER_BASELINE)
                .show(Str(&right))
                .end_text();
        }
        (self.fonts, self.pages)
    }
}

/// Replaces line breaks and tabs by spaces, drops other control characters
/// and trims.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Splits `text` at line breaks into cleaned, non-empty paragraphs.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text.lines().map(clean).filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn composer() -> Composer<'static> {
        Composer::new(crate::REGULAR, crate::BOLD).expect("bundled fonts parse")
    }

    #[test]
    fn wrap_keeps_lines_within_width() {
        let c = composer();
        let text = "lorem ipsum dolor sit amet ".repeat(40);
        let lines = c.wrap(Style::Regular, 10.0, &text, 200.0);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(c.width(Style::Regular, 10.0, line) <= 200.0, "{line}");
        }
        assert_eq!(lines.join(" "), text.trim_end());
    }

    #[test]
    fn wrap_breaks_overlong_words() {
        let c = composer();
        let url = format!("https://example.com/{}", "a".repeat(300));
        let lines = c.wrap(Style::Regular, 10.0, &url, 150.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
        for line in &lines {
            assert!(c.width(Style::Regular, 10.0, line) <= 150.0);
        }
    }

    #[test]
    fn clean_drops_control_characters() {
        assert_eq!(clean(" a\tb\nc\u{7}d "), "a b cd");
        assert_eq!(paragraphs("one\n\n  two \r\n"), vec!["one", "two"]);
    }

    #[test]
    fn missing_glyphs_fall_back_to_replacement_character() {
        let mut c = composer();
        let bytes = c.font_mut(Style::Regular).encode("a中");
        assert_eq!(bytes.len(), 4);
        let font = c.font(Style::Regular);
        let mapped: Vec<char> = font.to_unicode.values().copied().collect();
        assert!(mapped.contains(&'a'));
        assert!(mapped.contains(&'\u{FFFD}'));
    }
}
