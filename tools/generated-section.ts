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
