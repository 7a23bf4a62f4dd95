// @ts-check
import { defineEcConfig } from 'astro-expressive-code';

// Code blocks follow the system theme like the rest of the site, and use local fonts only.
export default defineEcConfig({
  themes: ['github-light', 'github-dark'],
  useDarkModeMediaQuery: true,
  themeCssSelector: false,
  // Wrapped lines keep every command readable without a scroll region that keyboard users
  // would have to reach; the copy button still copies the unwrapped text.
  defaultProps: { wrap: true },
  styleOverrides: { codeFontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace" },
});
