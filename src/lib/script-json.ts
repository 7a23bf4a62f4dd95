/** JSON to embed in a `<script type="application/json">` element: "<" is escaped so no string can close the element. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
