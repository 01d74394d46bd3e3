// Loaded in <head>, before the page paints: styles for script-only controls apply at once.
// (A file, not an inline script: the Content-Security-Policy allows no inline script.)
document.documentElement.classList.replace("no-js", "js");
