import { describe, expect, it } from 'vitest';
import { versionAffected } from '../lib/harbor/releases.ts';
import type { PageFacts } from './facts.ts';
import { filtersFromParams, hasFilters, pageMatchesFilters, versionsOfQuery } from './filters.ts';
import { usableVersions } from './version-filter.ts';

const page = (id: string, affected: string[], install: string[], components: string[]): PageFacts => ({ id, affected, install, components });
const quota = page('quota', ['>=1.9.0 <2.1.0'], ['compose', 'helm'], ['core', 'portal']);
const admiral = page('admiral', ['>=1.8.0 <1.9.0'], ['helm'], ['core']);
const matching = (query: string) =>
  [quota, admiral].filter((p) => pageMatchesFilters(p, filtersFromParams(new URLSearchParams(query)), versionAffected)).map((p) => p.id);

describe('search filters', () => {
  it('reads versions, install methods and components from the URL, comma or repeated', () => {
    expect(filtersFromParams(new URLSearchParams('version=1.9.4,+v1.8&install=helm&install=compose&component=core'))).toEqual({
      versions: ['1.9.4', 'v1.8'],
      install: ['helm', 'compose'],
      components: ['core'],
    });
    expect(usableVersions(filtersFromParams(new URLSearchParams('version=latest,v1.8,1.9.4')).versions)).toEqual(['1.8', '1.9.4']);
    expect(hasFilters(filtersFromParams(new URLSearchParams('q=x')))).toBe(false);
  });

  it('keeps pages whose affected range contains the version, any of several', () => {
    expect(matching('version=1.9.4')).toEqual(['quota']);
    expect(matching('version=1.8.6')).toEqual(['admiral']);
    expect(matching('version=1.8.6,1.9.4')).toEqual(['quota', 'admiral']);
    expect(matching('version=1.8')).toEqual(['admiral']);
    expect(matching('version=2.5.0')).toEqual([]);
  });

  it('combines values of one filter as any, and different filters as all', () => {
    expect(matching('install=compose')).toEqual(['quota']);
    expect(matching('install=compose&install=helm')).toEqual(['quota', 'admiral']);
    expect(matching('component=portal&version=1.8.6')).toEqual([]);
  });
});

describe('versionsOfQuery', () => {
  it('reads a query of nothing but versions as a version filter', () => {
    expect(versionsOfQuery('harbor 1.9.4')).toEqual(['1.9.4']);
    expect(versionsOfQuery('v1.8.6, 1.9')).toEqual(['1.8.6', '1.9']);
  });

  it('leaves any other query to the search', () => {
    expect(versionsOfQuery('login fails on 1.9.4')).toBeUndefined();
    expect(versionsOfQuery('harbor')).toBeUndefined();
  });
});
