// Reads Discord markdown the way Discord's client does, far enough to tell what a person would see as markup:
// links, headings, quotes, lists, mentions, emphasis, spoilers. For tests of what the bot sends; it parses nothing else.

/** ASCII punctuation: a backslash before one shows it as it is (simple-markdown's escape rule, which Discord uses). */
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Discord's reading of `markdown`, left to right: an escape shows its character, a fence or a `code span` shows its
 * content literally. `escaped` and `code` say how each is rendered.
 */
function scan(
  markdown: string,
  escaped: (character: string) => string,
  code: (whole: string) => string,
): string {
  let out = "";
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i] as string;
    const next = markdown[i + 1] ?? "";
    if (c === "\\" && PUNCTUATION.test(next)) {
      out += escaped(next);
      i += 2;
      continue;
    }
    const fenced = markdown.startsWith("```", i);
    const close = fenced
      ? markdown.indexOf("```", i + 3) + 3
      : c === "`"
        ? markdown.indexOf("`", i + 1) + 1
        : 0;
    if (close > i + (fenced ? 3 : 2)) {
      out += code(markdown.slice(i, close));
      i = close;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

const MARKUP: [string, RegExp][] = [
  ["masked link", /\[[^\]\n]*\]\([^)\n]*\)/],
  ["link", /[a-z][a-z0-9+.-]*:\/\//i],
  ["mention, channel, emoji or timestamp", /<[@#:/at]/],
  ["@everyone or @here", /@(everyone|here)/],
  ["heading or subtext", /^[ \t]*(-# |#{1,3} )/m],
  ["block quote", /^[ \t]*>/m],
  ["list", /^[ \t]*([-*+]|\d+\.)[ \t]/m],
  ["bold, italic or underline", /\*\*|__|\*[^*\s]|_[^_\s][^_]*_/],
  ["strikethrough", /~~/],
  ["spoiler", /\|\|/],
];

/** The markup Discord would act on in `markdown` (outside code), by name; empty when it all shows as text. */
export function liveMarkup(markdown: string): string[] {
  const plain = scan(
    markdown,
    () => "·",
    () => " ",
  );
  return MARKUP.filter(([, pattern]) => pattern.test(plain)).map(([name]) => name);
}

/** What a person reads: escapes resolved outside code; code spans and fences are kept as they are. */
export function shownText(markdown: string): string {
  return scan(
    markdown,
    (character) => character,
    (whole) => whole,
  );
}

/**
 * `text` (an API body, JSON or not) with every backslash before punctuation taken out, so that a search for a
 * secret also finds it where the renderer escaped it (`tok\_…`, or `tok\\_…` inside JSON).
 */
export function withoutEscapes(text: string): string {
  return text.replace(/\\+(?=[!-/:-@[-`{-~])/g, "");
}
