import { expect } from '@open-wc/testing';
import { RowKeys } from './row-keys.js';

const keysOf = (rowKeys: RowKeys, ids: string[]): number[] => {
  const keyOf = rowKeys.assign(ids);
  return ids.map(keyOf);
};

describe('RowKeys', () => {
  it('keeps the keys of the same rows from one render to the next', () => {
    const rowKeys = new RowKeys();
    const first = keysOf(rowKeys, ['1', '2', '3']);
    expect(new Set(first).size).to.equal(3);
    expect(keysOf(rowKeys, ['1', '2', '3'])).to.deep.equal(first);
  });

  it('gives the rows of a new page the keys of the rows that left, in order', () => {
    const rowKeys = new RowKeys();
    const first = keysOf(rowKeys, ['1', '2', '3']);
    expect(keysOf(rowKeys, ['7', '8', '9'])).to.deep.equal(first);
  });

  it('lets a staying event keep its key and a new one take the key of the event pushed out', () => {
    const rowKeys = new RowKeys();
    const [k1, k2, k3] = keysOf(rowKeys, ['1', '2', '3']);
    // A live event arrives at the top; event 3 drops off the page.
    expect(keysOf(rowKeys, ['4', '1', '2'])).to.deep.equal([k3, k1, k2]);
    // A sort that keeps the same events reorders the keys with them.
    expect(keysOf(rowKeys, ['2', '1', '4'])).to.deep.equal([k2, k1, k3]);
  });

  it('makes fresh keys, never one in use, when a page grows', () => {
    const rowKeys = new RowKeys();
    keysOf(rowKeys, ['1']);
    keysOf(rowKeys, []);
    const keys = keysOf(rowKeys, ['1', '2', '3', '4']);
    expect(new Set(keys).size).to.equal(4);
    const grown = keysOf(rowKeys, ['5', '1', '2', '3', '4', '6']);
    expect(new Set(grown).size).to.equal(6);
    expect(grown.slice(1, 5)).to.deep.equal(keys);
  });
});
