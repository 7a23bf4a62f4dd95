/**
 * The model that confirms results resting on words alone (src/search/problem-model.ts), trained
 * here at build time (src/search/build/problem-model-data.ts) and served gzip-compressed: the
 * search page fetches it only when words alone made a page a result.
 */
import type { APIRoute } from 'astro';
import { gzippedResponse } from '../lib/gzipped-response.ts';
import { issuePages } from '../lib/content/site.ts';
import { readTrainingQueries, TRAINING_QUERY_SETS, trainingExamples, trainProblemModel } from '../search/build/problem-model-data.ts';
import { DESCRIBED_OTHER_PROBLEMS } from '../search/other-problems-described.ts';

export const GET: APIRoute = async () => {
  const pages = (await issuePages()).map((page) => ({ ...page, errors: page.shared.errors.map((error) => error.text) }));
  const examples = trainingExamples(pages, DESCRIBED_OTHER_PROBLEMS, TRAINING_QUERY_SETS.flatMap(readTrainingQueries));
  return gzippedResponse(JSON.stringify(trainProblemModel(examples, [...new Set(pages.map((page) => page.id))])));
};
