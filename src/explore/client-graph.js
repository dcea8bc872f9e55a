// @ts-nocheck -- browser code, shipped into the page as written, before client.js (see page.ts).
// The explorer's state graph: one function's picture at a time (the SVG Graphviz drew, its groups
// annotated by graph-svg.ts), with the current state, the edge a step leaves by and the states it ran
// through marked. Only the nodes and edges near the view are parsed and in the document: the layout of a
// big picture's text took seconds (600 states are 1,800 labels), and Chromium laid out an SVG's every
// element, those hidden with `display: none` too, but not one that is not in the document. Each group's
// box (`data-box`, in viewBox units) says where it is without laying it out.
// eslint-disable-next-line no-unused-vars
function stepwiseGraph(container, onState) {
  "use strict";
  /** Pictures already parsed, by function: each keeps its elements, marks and which groups are in the document. */
  const pictures = new Map();
  let shown = null;

  const GROUP = /<g id="(?:node|edge)\d+" class="(node|edge)"([^>]*)>/g;
  /**
   * A picture, from its SVG text: the picture without its nodes and edges, parsed, and each node's and
   * edge's text, parsed only once it comes near the view (parsing all of them took longer than the rest of
   * the page: 6,000 elements for 600 states).
   */
  function parse(fn) {
    const text = fn.svg;
    const groups = [];
    const nodes = new Map();
    const edges = new Map();
    let skeleton = "";
    let last = 0;
    GROUP.lastIndex = 0;
    for (let match = GROUP.exec(text); match; match = GROUP.exec(text)) {
      const end = closingOf(text, match.index + match[0].length);
      if (end < 0) break;
      skeleton += text.slice(last, match.index);
      last = end + "</g>".length;
      GROUP.lastIndex = last;
      const box = /data-box="([^"]*)"/.exec(match[2]);
      const group = { html: text.slice(match.index, last), g: null, box: box ? box[1].split(" ").map(Number) : null, attached: false, classes: new Set(), state: -1 };
      groups.push(group);
      const state = /data-state="(\d+)"/.exec(match[2]);
      if (match[1] === "node" && state) {
        group.state = Number(state[1]);
        nodes.set(group.state, group);
      } else if (match[1] === "edge") {
        // `f0_s1->f0_s2` is `s1->s2` (and `start->s0`, `s3->end`)
        const title = /<title>([^<]*)<\/title>/.exec(group.html);
        const key = unescapeXml(title ? title[1] : "").replace(/^f\d+_/, "").replace(/->f\d+_/, "->");
        if (!edges.has(key)) edges.set(key, []);
        edges.get(key).push(group);
      }
    }
    skeleton += text.slice(last);
    const holder = document.createElement("div");
    holder.innerHTML = skeleton;
    const svg = holder.querySelector("svg");
    const picture = { content: [...holder.childNodes], svg, parent: svg?.querySelector("g.graph") ?? svg, view: null, groups, nodes, edges, lit: [], marked: [] };
    if (svg) {
      const [x, y, width, height] = (svg.getAttribute("viewBox") ?? "").split(/[\s,]+/).map(Number);
      picture.view = { x, y, width, height };
    }
    return picture;
  }

  /** Where the `</g>` that closes the group whose content starts at `from` is (nested groups skipped), or -1. */
  function closingOf(text, from) {
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
  const unescapeXml = (text) => text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

  /** Parses the groups not parsed yet (in one go, in the SVG's namespace), with the marks they were given meanwhile. */
  function materialize(picture, groups) {
    const fresh = groups.filter((group) => !group.g);
    if (fresh.length === 0) return;
    const range = document.createRange();
    range.selectNodeContents(picture.parent);
    const parsed = range.createContextualFragment(fresh.map((group) => group.html).join("")).children;
    fresh.forEach((group, k) => {
      const g = parsed[k];
      group.g = g;
      for (const name of group.classes) g.classList.add(name);
      if (group.state >= 0) {
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "button");
        g.setAttribute("aria-label", `state ${group.state}: go to the next step in it`);
      }
    });
  }
  const addClass = (group, name) => {
    group.classes.add(name);
    group.g?.classList.add(name);
  };
  const removeClass = (group, name) => {
    group.classes.delete(name);
    group.g?.classList.remove(name);
  };

  /** Shows function `fn`'s picture, at its top. */
  function show(fn) {
    if (!pictures.has(fn)) pictures.set(fn, parse(fn));
    shown = pictures.get(fn);
    container.replaceChildren(...shown.content);
    container.scrollTop = 0;
    container.scrollLeft = 0;
    // (a step highlights a state at once, which puts in what is in view; a function chosen in the list, or none run, has a frame to wait for)
    requestUpdate();
  }

  /** Where the picture is drawn: its scale (pixels per viewBox unit) and its top left corner in the container's scrolled content. */
  function placement() {
    const rect = shown.svg.getBoundingClientRect();
    if (!rect.width || !shown.view.width) return null;
    const outer = container.getBoundingClientRect();
    return { scale: rect.width / shown.view.width, top: rect.top - outer.top + container.scrollTop, left: rect.left - outer.left + container.scrollLeft };
  }

  /** Puts in the document the groups within a couple of screens of the view (and the one with focus), and takes out the others. */
  function update() {
    if (!shown || !shown.svg) return;
    const at = placement();
    if (!at) return;
    const margin = Math.max(1200, 2 * container.clientHeight);
    const top = (container.scrollTop - margin - at.top) / at.scale + shown.view.y;
    const bottom = (container.scrollTop + container.clientHeight + margin - at.top) / at.scale + shown.view.y;
    const focused = document.activeElement;
    const wanted = shown.groups.map((group) => !group.box || (group.box[3] >= top && group.box[1] <= bottom) || (group.g !== null && group.g.contains(focused)));
    materialize(
      shown,
      shown.groups.filter((group, k) => wanted[k]),
    );
    // From the last group to the first, so that one put back goes before the next one in the document (their order is the order they are drawn in).
    let next = null;
    for (let k = shown.groups.length - 1; k >= 0; k--) {
      const group = shown.groups[k];
      if (wanted[k] && !group.attached) {
        shown.parent.insertBefore(group.g, next);
        group.attached = true;
      } else if (!wanted[k] && group.attached) {
        group.g.remove();
        group.attached = false;
      }
      if (group.attached) next = group.g;
    }
  }
  let pending = false;
  const requestUpdate = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  };
  container.addEventListener("scroll", requestUpdate, { passive: true });
  window.addEventListener("resize", requestUpdate);

  /** Scrolls the container to show `box` (viewBox units), centred, unless it is in view already. */
  function scrollTo(box) {
    const at = placement();
    if (!at) return;
    const top = at.top + (box[1] - shown.view.y) * at.scale;
    const bottom = at.top + (box[3] - shown.view.y) * at.scale;
    const left = at.left + (box[0] - shown.view.x) * at.scale;
    const right = at.left + (box[2] - shown.view.x) * at.scale;
    if (top < container.scrollTop || bottom > container.scrollTop + container.clientHeight) container.scrollTop = top - (container.clientHeight - (bottom - top)) / 2;
    if (left < container.scrollLeft || right > container.scrollLeft + container.clientWidth) container.scrollLeft = left - (container.clientWidth - (right - left)) / 2;
  }

  /** Marks `state` (-1: none) as the current one, scrolled into view if `scroll`. */
  function highlight(state, scroll) {
    if (!shown) return;
    for (const group of shown.lit) removeClass(group, "hl");
    shown.lit = [];
    const node = state >= 0 ? shown.nodes.get(state) : undefined;
    if (node) {
      addClass(node, "hl");
      shown.lit.push(node);
      if (scroll && node.box) scrollTo(node.box);
    }
    update();
  }

  /**
   * Where a step ends: the edge it leaves by (`leaving`, as `s1->s2` or `s1->end`, highlighted), and the
   * edges and states it ran through before (dashed). None: `markStep(null, [], [])`.
   */
  function markStep(leaving, passedEdges, passedStates) {
    if (!shown) return;
    for (const [group, name] of shown.marked) removeClass(group, name);
    shown.marked = [];
    const add = (group, name) => {
      addClass(group, name);
      shown.marked.push([group, name]);
    };
    const lit = new Set(shown.edges.get(leaving) ?? []);
    for (const key of passedEdges) for (const group of shown.edges.get(key) ?? []) if (!lit.has(group)) add(group, "passed");
    for (const group of lit) add(group, "hl");
    for (const state of passedStates) {
      const node = shown.nodes.get(state);
      if (node) add(node, "passed");
    }
  }

  // A state clicked, or focused and Enter or Space pressed: the step that runs in it next.
  container.addEventListener("click", (event) => {
    const node = event.target.closest?.("g.node[data-state]");
    if (node && container.contains(node)) onState(Number(node.dataset.state));
  });
  container.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const node = event.target.closest?.("g.node[data-state]");
    if (!node) return;
    event.preventDefault();
    onState(Number(node.dataset.state));
  });

  return { show, highlight, markStep };
}
