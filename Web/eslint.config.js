// eslint (flat config) over the page scripts, the service worker, and the node tests and build script.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'bin/', 'obj/', 'wwwroot/lib/', 'wwwroot/sw-shell.js'] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-shadow': 'error',
      'no-var': 'error',
    },
  },
  {
    files: ['wwwroot/js/**/*.js', 'wwwroot/i18n/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      // Leaflet and SignalR are classic scripts the pages load before their modules.
      globals: { ...globals.browser, L: 'readonly', signalR: 'readonly' },
    },
  },
  {
    files: ['wwwroot/sw.js'],
    languageOptions: { sourceType: 'script', globals: globals.serviceworker },
  },
  {
    files: ['test/**/*.js', 'build/**/*.js', 'eslint.config.js'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
];
