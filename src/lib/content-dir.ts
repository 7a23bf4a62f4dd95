/**
 * Where the issue pages are read from. Tests point HARBOR_KB_CONTENT_DIR at fixture
 * trees to prove that a broken page fails the build.
 */
export const contentDir = process.env.HARBOR_KB_CONTENT_DIR ?? './content/issues';
