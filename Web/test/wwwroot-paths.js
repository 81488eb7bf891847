// @ts-check
// A module resolve hook (node:module register): '/js/…' and '/i18n/…', as the pages import them, are the
// files under Web/wwwroot.
const WWWROOT = new URL('../wwwroot/', import.meta.url);

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('/js/') || specifier.startsWith('/i18n/')) {
    return nextResolve(new URL(`.${specifier}`, WWWROOT).href, context);
  }
  return nextResolve(specifier, context);
}
