// Reads Discord markdown the way Discord's client does, far enough to tell what a person would see as markup:
// links, headings, quotes, lists, mentions, emphasis, spoilers. For tests of what the bot sends; it parses nothing else.

/** Code spans and fenced blocks: Discord shows their content literally. */
const CODE = /```[\s\S]*?```|`[^`\n]+`/g;
/** A backslash before ASCII punctuation shows that character as it is (simple-markdown's escape rule). */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

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
  const plain = markdown.replace(CODE, " ").replace(ESCAPED, "·");
  return MARKUP.filter(([, pattern]) => pattern.test(plain)).map(([name]) => name);
}

/** What a person reads: escapes resolved outside code; code spans and fences are kept as they are. */
export function shownText(markdown: string): string {
  let out = "";
  let last = 0;
  for (const match of markdown.matchAll(CODE)) {
    out += markdown.slice(last, match.index).replace(ESCAPED, "$1") + match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  return out + markdown.slice(last).replace(ESCAPED, "$1");
}

/**
 * `text` (an API body, JSON or not) with every backslash before punctuation taken out, so that a search for a
 * secret also finds it where the renderer escaped it (`tok\_…`, or `tok\\_…` inside JSON).
 */
export function withoutEscapes(text: string): string {
  return text.replace(/\\+(?=[!-/:-@[-`{-~])/g, "");
}
