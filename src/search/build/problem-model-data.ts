/**
 * Build time: trains the model that confirms results resting on words alone (problem-model.ts).
 *
 * What it learns from:
 * - each page's own words, per language: title, summary, operators' words, error lines (that page);
 * - the other problems described in operators' words (other-problems-described.ts): another problem;
 * - real queries: our own set and the dev split of the held-out corpus (their `expect`, or another
 *   problem for a near miss). The frozen splits are never read here: they measure this model;
 * - queries helpers who know Harbor wrote without seeing the pages or the corpus (HELPER_QUERY_SET).
 *
 * Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: the problem is convex, so
 * the same examples always give the same weights. Written here rather than taken from a library
 * because the features are sparse (a few dozen of some 20,000 per query) and the JavaScript
 * libraries at hand fit dense matrices, which would take gigabytes for this one.
 */
import { readFileSync } from 'node:fs';
import { normaliseQuery } from '../normalise.ts';
import { describedText, type DescribedProblem } from '../other-problems-described.ts';
import { featureHash, modelFeatures, OTHER_PROBLEM, type ProblemModelData } from '../problem-model.ts';
import type { PageWords } from './page-words.ts';

/**
 * Queries that helpers who know Harbor wrote for each problem and for near misses, without having
 * seen the pages, the corpus or its threads (session 13): what a careful reader knows of how each
 * problem shows, in more words than the pages carry.
 */
export const HELPER_QUERY_SET = 'test/search/helper-queries.json';
/** The query sets the model learns from; never a frozen split (test/search/corpus.test.ts checks it). */
export const TRAINING_QUERY_SETS = ['test/search/queries.json', HELPER_QUERY_SET, 'test/search/corpus/dev.json'] as const;

export interface LabelledText {
  text: string;
  /** A page id, or OTHER_PROBLEM. */
  problem: string;
}

export interface TrainingOptions {
  /** The L2 penalty on the weights (the biases go free). */
  l2: number;
  /**
   * What one example of another problem weighs against one of a page. There are many more of
   * them (every described problem, every near miss); at full weight the model learns to answer
   * "another problem" to anything short of a page's own error line.
   */
  otherWeight: number;
  /** L-BFGS iterations. */
  iterations: number;
  /** Weights smaller than this are left out of what is served. */
  minWeight: number;
}

/** Chosen on five folds of dev (scripts/search-dev-harness.ts --model-folds). */
export const TRAINING: TrainingOptions = { l2: 0.1, otherWeight: 0.1, iterations: 300, minWeight: 0.1 };

/** A query set's labelled queries (test/search format); a null `expect` is another problem (trainingExamples also counts a page id the site no longer has as one). */
export function readTrainingQueries(file: string): LabelledText[] {
  const { queries } = JSON.parse(readFileSync(file, 'utf8')) as { queries: { q: string; expect: string | null }[] };
  return queries.map((query) => ({ text: query.q, problem: query.expect ?? OTHER_PROBLEM }));
}

export function trainingExamples(pages: readonly PageWords[], described: readonly DescribedProblem[], queries: readonly LabelledText[]): LabelledText[] {
  const pageIds = new Set(pages.map((page) => page.id));
  // A page's error lines are the same in both languages: each is learnt once.
  const pageTexts = new Map<string, LabelledText>();
  for (const page of pages) {
    for (const text of [page.title, page.summary, ...page.describedAs, ...page.errors]) pageTexts.set(`${page.id}\0${text}`, { text, problem: page.id });
  }
  return [
    ...pageTexts.values(),
    ...described.flatMap((problem) =>
      (['en', 'zh'] as const).flatMap((lang) => describedText(problem, lang).map((text) => ({ text, problem: OTHER_PROBLEM }))),
    ),
    ...queries.map((query) => ({ text: query.text, problem: pageIds.has(query.problem) ? query.problem : OTHER_PROBLEM })),
  ];
}

interface SparseRows {
  /** Per example, the feature columns it has. */
  columns: Int32Array[];
  /** Per example, the value of each of its features (1/sqrt(count): every example a unit vector). */
  values: Float64Array;
  labels: Int32Array;
  exampleWeights: Float64Array;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

/** direction += factor * vector, in place. */
const addScaled = (direction: Float64Array, factor: number, vector: Float64Array) => {
  for (let i = 0; i < direction.length; i++) direction[i] = direction[i]! + factor * vector[i]!;
};

/** L-BFGS's two-loop recursion: the quasi-Newton direction from the gradient and the last steps and gradient changes, into `direction`. */
function searchDirection(gradient: Float64Array, steps: readonly Float64Array[], changes: readonly Float64Array[], direction: Float64Array) {
  for (let i = 0; i < direction.length; i++) direction[i] = -gradient[i]!;
  const alphas = new Array<number>(steps.length).fill(0);
  for (let k = steps.length - 1; k >= 0; k--) {
    alphas[k] = dot(steps[k]!, direction) / dot(changes[k]!, steps[k]!);
    addScaled(direction, -alphas[k]!, changes[k]!);
  }
  const last = steps.length - 1;
  if (last >= 0) {
    const gamma = dot(steps[last]!, changes[last]!) / dot(changes[last]!, changes[last]!);
    for (let i = 0; i < direction.length; i++) direction[i] = direction[i]! * gamma;
  }
  for (let k = 0; k < steps.length; k++) addScaled(direction, alphas[k]! - dot(changes[k]!, direction) / dot(changes[k]!, steps[k]!), steps[k]!);
}

/** One L-BFGS run on f (value and gradient) from x0, with a backtracking (Armijo) line search. */
function lbfgs(f: (x: Float64Array, gradient: Float64Array) => number, x0: Float64Array, iterations: number): Float64Array {
  const memory = 10;
  const n = x0.length;
  let x = x0;
  let gradient = new Float64Array(n);
  let value = f(x, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const direction = new Float64Array(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    searchDirection(gradient, steps, changes, direction);
    const slope = dot(gradient, direction);
    if (slope >= 0) break;
    let step = iteration === 0 ? 1 / Math.sqrt(dot(gradient, gradient)) : 1;
    const next = new Float64Array(n);
    const nextGradient = new Float64Array(n);
    let nextValue = Infinity;
    for (let tries = 0; tries < 30; tries++, step /= 2) {
      for (let i = 0; i < n; i++) next[i] = x[i]! + step * direction[i]!;
      nextValue = f(next, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
    }
    if (!(nextValue < value)) break;
    const change = new Float64Array(n);
    const gradientChange = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      change[i] = next[i]! - x[i]!;
      gradientChange[i] = nextGradient[i]! - gradient[i]!;
    }
    if (dot(change, gradientChange) > 1e-10) {
      steps.push(change);
      changes.push(gradientChange);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
      }
    }
    const converged = value - nextValue < 1e-9 * Math.max(1, Math.abs(value));
    [x, gradient, value] = [next, nextGradient, nextValue];
    if (converged) break;
  }
  return x;
}

/** Fits the model on `examples` and returns it as served: features hashed, small weights left out, the rest quantised. */
export function trainProblemModel(examples: readonly LabelledText[], pageIds: readonly string[], options: TrainingOptions = TRAINING): ProblemModelData {
  const classes = [...[...pageIds].sort(), OTHER_PROBLEM];
  // A weight's class travels as one byte.
  if (classes.length > 256) throw new Error(`the problem model has ${classes.length} classes; it can serve 256`);
  const classOf = new Map(classes.map((name, i) => [name, i]));
  const vocabulary = new Map<string, number>();
  const rows: SparseRows = {
    columns: [],
    values: new Float64Array(examples.length),
    labels: new Int32Array(examples.length),
    exampleWeights: new Float64Array(examples.length),
  };
  examples.forEach((example, row) => {
    const features = modelFeatures(normaliseQuery(example.text));
    rows.columns.push(
      Int32Array.from(features, (feature) => {
        if (!vocabulary.has(feature)) vocabulary.set(feature, vocabulary.size);
        return vocabulary.get(feature)!;
      }),
    );
    rows.values[row] = features.length > 0 ? 1 / Math.sqrt(features.length) : 0;
    const label = classOf.get(example.problem) ?? classOf.get(OTHER_PROBLEM)!;
    rows.labels[row] = label;
    rows.exampleWeights[row] = classes[label] === OTHER_PROBLEM ? options.otherWeight : 1;
  });
  const width = classes.length;
  const weightCount = vocabulary.size * width;
  const scores = new Float64Array(width);
  const objective = (x: Float64Array, gradient: Float64Array) => {
    gradient.fill(0);
    let loss = 0;
    for (let i = 0; i < weightCount; i++) {
      loss += 0.5 * options.l2 * x[i]! * x[i]!;
      gradient[i] = options.l2 * x[i]!;
    }
    for (let row = 0; row < examples.length; row++) {
      const columns = rows.columns[row]!;
      const value = rows.values[row]!;
      for (let c = 0; c < width; c++) {
        let score = x[weightCount + c]!;
        for (const column of columns) score += value * x[column * width + c]!;
        scores[c] = score;
      }
      const top = Math.max(...scores);
      let sum = 0;
      for (let c = 0; c < width; c++) sum += Math.exp(scores[c]! - top);
      const logSum = top + Math.log(sum);
      const weight = rows.exampleWeights[row]!;
      loss -= weight * (scores[rows.labels[row]!]! - logSum);
      for (let c = 0; c < width; c++) {
        const error = weight * (Math.exp(scores[c]! - logSum) - (c === rows.labels[row] ? 1 : 0));
        gradient[weightCount + c]! += error;
        for (const column of columns) gradient[column * width + c]! += error * value;
      }
    }
    return loss;
  };
  const fitted = lbfgs(objective, new Float64Array(weightCount + width), options.iterations);

  let largest = 0;
  for (let i = 0; i < weightCount; i++) largest = Math.max(largest, Math.abs(fitted[i]!));
  const scale = largest / 127 || 1;
  const kept = [...vocabulary]
    .map(([feature, column]) => ({
      hash: featureHash(feature),
      weights: classes.flatMap((_, c) => {
        const weight = fitted[column * width + c]!;
        const quantised = Math.round(weight / scale);
        return Math.abs(weight) >= options.minWeight && quantised !== 0 ? [{ c, quantised }] : [];
      }),
    }))
    .filter((feature) => feature.weights.length > 0)
    .sort((a, b) => a.hash - b.hash);
  const starts = new Uint32Array(kept.length + 1);
  for (const [i, feature] of kept.entries()) starts[i + 1] = starts[i]! + feature.weights.length;
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return {
    classes,
    bias: classes.map((_, c) => Number(fitted[weightCount + c]!.toFixed(4))),
    scale,
    features: base64(new Uint8Array(Uint32Array.from(kept, (feature) => feature.hash).buffer)),
    starts: base64(new Uint8Array(starts.buffer)),
    columns: base64(Uint8Array.from(kept.flatMap((feature) => feature.weights.map((weight) => weight.c)))),
    weights: base64(new Uint8Array(Int8Array.from(kept.flatMap((feature) => feature.weights.map((weight) => weight.quantised))).buffer)),
  };
}
