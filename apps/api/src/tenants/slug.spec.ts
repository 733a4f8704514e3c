import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFreeSlug, slugify } from './slug';

describe('slugify', () => {
  it('keeps letters and digits, folds accents and joins words with single dashes', () => {
    assert.equal(slugify('  Café Ünïon & Co. 2 '), 'cafe-union-co-2');
    assert.equal(slugify('ACME---Mail'), 'acme-mail');
  });

  it('falls back to "tenant" when nothing usable is left', () => {
    assert.equal(slugify('!!!'), 'tenant');
    assert.equal(slugify('日本'), 'tenant');
  });

  it('bounds the length without leaving a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(39)} b`);
    assert.equal(slug, 'a'.repeat(39));
  });
});

describe('firstFreeSlug', () => {
  it('numbers duplicates from 2', () => {
    assert.equal(firstFreeSlug('acme', new Set()), 'acme');
    assert.equal(firstFreeSlug('acme', new Set(['acme', 'acme-2'])), 'acme-3');
  });
});
