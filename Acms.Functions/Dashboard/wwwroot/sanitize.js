// Renders the report HTML that our own API produced, without weakening the CSP: the text is parsed inertly
// (DOMParser runs no script), and only an allow-list of elements and attributes is rebuilt in the page. Styles,
// scripts, links, images and event handlers are dropped; headings move one level down under the page's own h1.
const HTML_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'br', 'span', 'div']);
const DROP = new Set(['script', 'style', 'link', 'meta', 'title', 'iframe', 'object', 'embed', 'img', 'form', 'input', 'button', 'template', 'noscript']);
const SVG_ATTRS = {
  svg: ['role', 'aria-label', 'width', 'height', 'viewBox'],
  title: [],
  g: [],
  text: ['x', 'y', 'text-anchor', 'font-size'],
  rect: ['x', 'y', 'width', 'height', 'fill'],
  line: ['x1', 'y1', 'x2', 'y2', 'stroke'],
};
const SAFE_VALUE = /^[#\w .,%-]{0,200}$/;
const SVG_NS = 'http://www.w3.org/2000/svg';
const HEADING = { h1: 'h2', h2: 'h3', h3: 'h4', h4: 'h5' };

export function sanitizeReportHtml(html) {
  // The parsed document shares the page's CSP, which would report (and block) the report's own <style>; it is dropped below
  // anyway, so it is removed before parsing.
  const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style>/gi, ''), 'text/html');
  const out = document.createDocumentFragment();
  for (const child of doc.body.childNodes) { copy(child, out, false); }
  return out;
}

function copy(node, parent, inSvg) {
  if (node.nodeType === Node.TEXT_NODE) {
    parent.append(document.createTextNode(node.data));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) { return; }
  const tag = node.localName;
  if (DROP.has(tag) && !(inSvg && tag === 'title')) { return; }
  let el = null;
  if (tag === 'svg' || (inSvg && tag in SVG_ATTRS)) {
    el = document.createElementNS(SVG_NS, tag);
    for (const name of SVG_ATTRS[tag]) {
      const value = node.getAttribute(name);
      if (value !== null && SAFE_VALUE.test(value)) { el.setAttribute(name, value); }
    }
    inSvg = true;
  } else if (!inSvg && HTML_TAGS.has(tag)) {
    el = document.createElement(HEADING[tag] || tag);
    if ((tag === 'td' || tag === 'th') && node.classList.contains('n')) { el.className = 'num'; }
  }
  const target = el || parent; // an element not on the list is unwrapped: its text stays, its markup goes
  for (const child of node.childNodes) { copy(child, target, inSvg); }
  if (el) { parent.append(el); }
}
