// The state graph's SVG as the explorer page carries it: Graphviz's picture, with each node's state and
// each node's and edge's box written on its group, so that the page can put in the document only the
// groups in view (a graph of 600 states is 6,000 elements, 1,800 of them text, whose layout alone took
// longer than the rest of the page) and scroll to a state without laying the picture out.

/**
 * `svg` without its XML prolog, DOCTYPE and comments, and each `<g class="node">` and `<g class="edge">`
 * with `data-box="x0 y0 x1 y1"`, the box of what it draws in the picture's viewBox units (text estimated
 * from its font size), and each state's node with `data-state`.
 */
export function annotateSvg(svg: string): string {
  const at = svg.indexOf("<svg");
  if (at < 0) return svg;
  const text = svg.slice(at).replace(/<!--[\s\S]*?-->\n?/g, "");
  // Graphviz draws in the coordinates of its graph group: `scale(s s) rotate(0) translate(tx ty)` maps them to the viewBox.
  const transform = /<g id="graph0" class="graph" transform="scale\(([-\d.]+) ([-\d.]+)\) rotate\(0\) translate\(([-\d.]+) ([-\d.]+)\)"/.exec(text);
  if (!transform) return text;
  const [sx, sy, tx, ty] = transform.slice(1).map(Number);
  const out: string[] = [];
  const open = /<g id="(?:node|edge)\d+" class="(node|edge)">/g;
  let last = 0;
  for (let match = open.exec(text); match; match = open.exec(text)) {
    const end = closingOf(text, match.index + match[0].length);
    if (end < 0) break;
    const body = text.slice(match.index + match[0].length, end);
    const box = boxOf(body);
    const state = match[1] === "node" ? /<title>f\d+_s(\d+)<\/title>/.exec(body) : null;
    const attributes = `${state ? ` data-state="${state[1]}"` : ""}${box ? ` data-box="${[(box[0] + tx) * sx, (box[1] + ty) * sy, (box[2] + tx) * sx, (box[3] + ty) * sy].map((value, k) => (k < 2 ? Math.floor(value) : Math.ceil(value))).join(" ")}"` : ""}`;
    out.push(text.slice(last, match.index), match[0].slice(0, -1), attributes, ">");
    last = match.index + match[0].length;
    open.lastIndex = last;
  }
  out.push(text.slice(last));
  return out.join("");
}

/** Where the `</g>` that closes the group whose content starts at `from` is (nested groups skipped), or -1. */
function closingOf(text: string, from: number): number {
  const tag = /<g[\s>]|<\/g>/g;
  tag.lastIndex = from;
  let depth = 0;
  for (let match = tag.exec(text); match; match = tag.exec(text)) {
    if (match[0] !== "</g>") depth++;
    else if (depth === 0) return match.index;
    else depth--;
  }
  return -1;
}

/** The box [x0, y0, x1, y1] of the shapes and text of a group's content, in Graphviz's coordinates; null for none. */
function boxOf(body: string): [number, number, number, number] | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const add = (x: number, y: number) => {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  };
  // Paths' and polygons' points (`x,y` pairs); ellipses by their centre and radii.
  for (const shape of body.matchAll(/ (?:d|points)="([^"]*)"/g)) for (const pair of shape[1].matchAll(/(-?[\d.]+),(-?[\d.]+)/g)) add(Number(pair[1]), Number(pair[2]));
  for (const ellipse of body.matchAll(/<ellipse [^>]*cx="(-?[\d.]+)" cy="(-?[\d.]+)" rx="([\d.]+)" ry="([\d.]+)"/g)) {
    const [cx, cy, rx, ry] = ellipse.slice(1).map(Number);
    add(cx - rx, cy - ry);
    add(cx + rx, cy + ry);
  }
  // A label: from its baseline up a font size, and about half an em wide a character around its anchor.
  for (const label of body.matchAll(/<text [^>]*x="(-?[\d.]+)" y="(-?[\d.]+)"[^>]*font-size="([\d.]+)">([^<]*)<\/text>/g)) {
    const [x, y, size] = label.slice(1, 4).map(Number);
    const half = (label[4].length * size * 0.6) / 2;
    add(x - half, y - size);
    add(x + half, y + size * 0.3);
  }
  return x0 === Infinity ? null : [x0, y0, x1, y1];
}
