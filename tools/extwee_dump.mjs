#!/usr/bin/env node
// Independent parse of a Twee 3 file, for cross-checking the platform's own
// (Python) parser: `node tools/extwee_dump.mjs FILE.twee` prints
//
//   {"name": <StoryTitle or null>, "ifid": <string or null>, "start": <string or null>,
//    "passages": [{"name": ..., "tags": [...], "links": [{"text": ..., "target": ...}]}]}
//
// Passages, tags, StoryTitle and StoryData come from extwee's Twee parser
// (`parseTwee` from the `extwee` package, pinned in package.json). extwee has no
// link parser, so links are read with a port of Twine 2's own rules (see below).
//
// What extwee does that a reader of this output should know:
// - Passage names and tags are unescaped (`\[` -> `[`, `\\` -> `\`, `\q` -> `q`).
// - A repeated passage name keeps the first passage; the later one is dropped
//   with a warning on stderr.
// - Passages tagged `script` or `stylesheet` are not passages for extwee (their
//   text goes to the story's JavaScript / stylesheet), so they are not listed.
// - StoryData that is not valid JSON is ignored silently (ifid/start stay empty);
//   passage metadata that is not valid JSON becomes {}.
// - Without a `start` in StoryData, a passage named `Start` is the start.
// - Passage text is trimmed; a header line is any line beginning with `::`.
// Empty strings (no StoryData, no start) are printed as null, and "name" is null
// when the file has no StoryTitle passage (extwee would say "Untitled Story").
// extwee's own log lines (console.info/log/warn) go to stderr so stdout stays JSON.

import { readFileSync } from 'node:fs';
import { parseTwee } from 'extwee';

// ---------------------------------------------------------------------------
// Links: a port of Twine 2's src/util/parse-links.ts
// (github.com/klembot/twinejs, file last changed in commit 28074261, 2021-03-28),
// extended to return each link's display text as well as its target, using the
// same divider that Twine picks for the target. Rules, as in Twine:
// - a link is the shortest `[[...]]` (regexp /\[\[.*?\]\]/g, so not across lines);
// - a setter component `[[...][setter]]` is dropped (text before the first `][`);
// - `[[text->target]]`: the rightmost `->` divides;
// - `[[target<-text]]`: the leftmost `<-` divides;
// - `[[text|target]]`: the rightmost `|` divides;
// - `[[target]]`: text and target are the same;
// - a divider whose target side is empty falls through to the next rule;
// - empty links are ignored, and so are external links (`scheme://...`), as in
//   parseLinks(text, true), which Twine uses to draw the story map.
// Deviation, on purpose: Twine's parseLinks returns unique targets; here every
// link is kept, in order, because each one is a separate choice with its own text.
// No whitespace is trimmed (Twine does not either): `[[A -> B]]` targets " B".
// ---------------------------------------------------------------------------

// The top level regular expression to catch links -- i.e. [[link]].
const extractLinkTags = (text) => text.match(/\[\[.*?\]\]/g) || [];

// Links _not_ starting with a protocol, e.g. abcd://.
const internalLink = (link) => !/^\w+:\/\/\/?\w/i.test(link.target);

// Links with some text in them.
const nonEmptyLink = (link) => link.target !== '';

// Split the link by the separator; undefined when the separator is not present.
const split = (link, separator) => {
  const fields = link.split(separator);
  return fields.length === 1 ? undefined : fields;
};

// Setter is the second [] block if exists.
const removeSetters = (link) => {
  const fields = split(link, '][');
  return fields ? fields[0] : link;
};

const removeEnclosingBrackets = (link) => link.substr(2, link.length - 4);

// Twine: getField(tagContent, '->', -1) || getField(tagContent, '<-', 0)
//        || getField(tagContent, '|', -1) || tagContent
const extractLink = (tagContent) => {
  let fields = split(tagContent, '->');
  if (fields && fields[fields.length - 1]) {
    return { text: fields.slice(0, -1).join('->'), target: fields[fields.length - 1] };
  }
  fields = split(tagContent, '<-');
  if (fields && fields[0]) {
    return { text: fields.slice(1).join('<-'), target: fields[0] };
  }
  fields = split(tagContent, '|');
  if (fields && fields[fields.length - 1]) {
    return { text: fields.slice(0, -1).join('|'), target: fields[fields.length - 1] };
  }
  return { text: tagContent, target: tagContent };
};

export function parseLinks(text) {
  return extractLinkTags(text)
    .map(removeEnclosingBrackets)
    .map(removeSetters)
    .map(extractLink)
    .filter(nonEmptyLink)
    .filter(internalLink);
}

// ---------------------------------------------------------------------------

function dump(source) {
  const story = parseTwee(source);
  const hasTitle = /^::[ \t]*StoryTitle[ \t]*(?:[[{].*)?$/m.test(source);
  return {
    name: hasTitle ? story.name : null,
    ifid: story.IFID || null,
    start: story.start || null,
    passages: story.passages.map((p) => ({
      name: p.name,
      tags: [...p.tags],
      links: parseLinks(p.text),
    })),
  };
}

function main(argv) {
  if (argv.length !== 1 || argv[0] === '-h' || argv[0] === '--help') {
    process.stderr.write('usage: node tools/extwee_dump.mjs FILE.twee\n');
    return 2;
  }
  for (const level of ['log', 'info', 'warn', 'debug']) {
    console[level] = (...args) => process.stderr.write(`${args.join(' ')}\n`);
  }
  let source;
  try {
    source = readFileSync(argv[0], 'utf8');
  } catch (error) {
    process.stderr.write(`${argv[0]}: ${error.message}\n`);
    return 2;
  }
  let result;
  try {
    result = dump(source);
  } catch (error) {
    // extwee throws on a header with no name left ("Malformed passage header!").
    process.stderr.write(`${argv[0]}: extwee could not parse it: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
