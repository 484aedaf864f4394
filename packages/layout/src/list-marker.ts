/**
 * A list item's marker as a word of its own: a bullet or dash ("•", "–", "*"), or a number, letter or
 * roman numeral closed by "." or ")" or in parentheses ("1.", "a)", "(iv)", "iv."). Capital letters
 * with a full stop are left out: they are initials ("A. Author") far more often than markers.
 */
const MARKER = /^(?:[\p{P}\p{S}]{1,2}|\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6}|[A-Z])\)|(?:\d{1,3}|[a-z]|[ivxlc]{1,6})\.)$/u;

export function isListMarker(text: string): boolean {
  return MARKER.test(text);
}
