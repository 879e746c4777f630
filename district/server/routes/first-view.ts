// The server-rendered first view of the board (docs/dashboard.md): `/` for a signed-in district
// user carries the board's markup, rendered by the web app's own components (first-view.mjs, which
// the dashboard build writes into the web folder; loaded here at run time, never imported), and the
// session and board as a JSON block, so the board shows as soon as the HTML is parsed and the app
// asks for neither again. Anything amiss (no module, a module that throws, an index.html not as
// expected) gives the plain page, logged once per built version.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TIME_ZONES } from '../../dash-api';
import {
  FIRST_VIEW_DATA,
  FIRST_VIEW_LOADING,
  FIRST_VIEW_META,
  FIRST_VIEW_MODULE,
  FIRST_VIEW_ROOT,
} from '../../dash-first-view';
import type { FirstViewData, RenderFirstView } from '../../dash-first-view';
import { roleAllows } from '../auth/roles';
import { singleDistrict } from '../tenancy/scope';
import { staffBoard } from './api/dash/board';

/** The loading line index.html's root holds: the first view takes its place. */
const ROOT = /<div id="root">([\s\S]*?)<\/div>/;

/**
 * JSON inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes, so no `</script>`
 * or `<!--` in a station's or kecamatan's name can end or bend the block, and U+2028/U+2029 too
 * (not line ends in JSON, but some tools read them so). JSON.parse gives back the same value.
 */
export function jsonInHtml(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Attribute values: the zone and language are ours, escaped all the same. */
const attribute = (value: string): string =>
  value.replace(/[&"<>]/g, (character) => `&#${character.charCodeAt(0)};`);

/** `index.html` with the first view: the meta the head script reads, the markup, the data block. */
export function withFirstView(
  html: string,
  view: { markup: string; data: FirstViewData; language: string; timeZone: string },
): string | null {
  if (!ROOT.test(html) || !html.includes('<head>')) {
    return null;
  }
  const meta = `<meta name="${FIRST_VIEW_META}" data-language="${attribute(view.language)}" data-time-zone="${attribute(view.timeZone)}" />`;
  // Replacer functions: a `$&` in a name is text, not a pattern of String.replace.
  return html
    .replace('<head>', () => `<head>\n    ${meta}`)
    .replace(
      ROOT,
      (_root, loading: string) =>
        // The loading line stays, before the root: shown while the first view is hidden (index.html).
        `<div ${FIRST_VIEW_LOADING}>${loading}</div>\n` +
        `    <div id="root" ${FIRST_VIEW_ROOT}>${view.markup}</div>\n` +
        `    <script type="application/json" id="${FIRST_VIEW_DATA}">${jsonInHtml(view.data)}</script>`,
    );
}

/**
 * The first view's renderer for `webDir`: `page(request, html)` gives index.html with the board of
 * the request's user, or null for the plain page (not signed in, not a district's own staff, no
 * module). The module is loaded once per built version (its size and time of writing).
 */
export function firstViews(app: FastifyInstance, webDir: string) {
  const path = join(webDir, FIRST_VIEW_MODULE);
  let loaded: { version: string; render: RenderFirstView | null } | null = null;
  const logged = new Set<string>();
  const logOnce = (version: string, error: unknown): void => {
    if (!logged.has(version)) {
      logged.add(version);
      app.log.warn({ err: error, module: path }, 'first view of the board unavailable: serving the plain page');
    }
  };
  async function renderer(): Promise<{ version: string; render: RenderFirstView } | null> {
    // One stat, no exists-then-stat: a rebuild may delete the module between two calls.
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) {
      return null;
    }
    const version = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
    if (loaded?.version !== version) {
      let render: RenderFirstView | null = null;
      try {
        const module = (await import(`${pathToFileURL(path).href}?v=${version}`)) as {
          renderFirstView?: unknown;
        };
        if (typeof module.renderFirstView !== 'function') {
          throw new Error(`${FIRST_VIEW_MODULE} exports no renderFirstView`);
        }
        render = module.renderFirstView as RenderFirstView;
      } catch (error) {
        logOnce(version, error);
      }
      loaded = { version, render };
    }
    return loaded.render === null ? null : { version, render: loaded.render };
  }

  return {
    async page(request: FastifyRequest, html: string): Promise<string | null> {
      const session = request.staff;
      // The board is the `#/` page of a district's own staff only (App.tsx): province and national
      // users open on the rollup, whose first view this is not.
      if (session === null || !roleAllows(session.user.role, 'viewer') || session.user.scope.level !== 'district') {
        return null;
      }
      const district = singleDistrict(session.user.scope);
      const loadedRenderer = district === null ? null : await renderer();
      if (district === null || loadedRenderer === null) {
        return null;
      }
      const board = await staffBoard(app, district);
      const data: FirstViewData = { session, board };
      const language = 'id';
      const timeZone = TIME_ZONES[board.timeZone];
      try {
        const markup = loadedRenderer.render({ ...data, language, timeZone });
        const page = withFirstView(html, { markup, data, language, timeZone });
        if (page === null) {
          throw new Error('index.html has no <div id="root"> to hold the first view');
        }
        return page;
      } catch (error) {
        logOnce(loadedRenderer.version, error);
        return null;
      }
    },
  };
}
