// @ts-check
import { defineEcConfig } from 'astro-expressive-code';

// Code blocks follow the system theme like the rest of the site, and use local fonts only.
export default defineEcConfig({
  themes: ['github-light', 'github-dark'],
  useDarkModeMediaQuery: true,
  themeCssSelector: false,
  styleOverrides: { codeFontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace" },
});
