/**
 * The self-contained bundle (`dist/usage-dashboard.bundle.js`): exports the public API and
 * registers every tag, for a plain `<script type="module">`. The build (rollup.config.mjs,
 * `registerEveryTag`) adds an import of every define module `src/<tag>/<tag>.ts` here, so
 * a new element needs no edit of this file.
 */
import './usage-filters/usage-filters.js';

export * from './index.js';
