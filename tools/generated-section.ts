/** A section of a docs page that a generator owns, between two marker comments. */
export interface GeneratedSection {
  /** The opening marker. */
  readonly start: string;
  /** The closing marker. */
  readonly end: string;
  /** The whole section, both markers included. */
  readonly content: string;
  /** The page, for the error when the markers are missing. */
  readonly file: string;
}

/** `page` with the text from `section.start` through `section.end` replaced by the section. */
export function withGeneratedSection(page: string, section: GeneratedSection): string {
  const start = page.indexOf(section.start);
  const end = page.indexOf(section.end);
  if (start < 0 || end < 0) throw new Error(`${section.file} has no ${section.start} … ${section.end} section`);
  return page.slice(0, start) + section.content + page.slice(end + section.end.length);
}

/** The text from `start` through `end` in `page`, both included, or '' when it has none. */
export function sectionBetween(page: string, start: string, end: string): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  return from === -1 || to === -1 ? '' : page.slice(from, to + end.length);
}

/** `page` with its section from `start` through `end` replaced by `section` (or, without one, followed by it). */
export function withSectionBetween(page: string, start: string, end: string, section: string): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from === -1 || to === -1) return `${page.trimEnd()}\n\n${section.trimEnd()}\n`;
  return `${page.slice(0, from)}${section.trimEnd()}${page.slice(to + end.length)}`;
}
