// The scope's WHERE clause builder (tenancy/scope.ts), which every repository uses: what each
// level restricts, and that its parameter lands after the query's own (numbering) and before a page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlValue } from '../../../district/server/db/types';
import { pageClause } from '../../../district/server/db/types';
import {
  DEFAULT_DISTRICT,
  districtScope,
  NATIONAL,
  scopeCondition,
  singleDistrict,
} from '../../../district/server/tenancy/scope';

test('a district scope is one district, a province its districts, national and none restrict nothing', () => {
  const district: SqlValue[] = ['active'];
  assert.equal(scopeCondition(districtScope('33.14'), 's.district_code', district), ' AND s.district_code = $2');
  assert.deepEqual(district, ['active', '33.14']);
  const province: SqlValue[] = [];
  assert.equal(
    scopeCondition({ level: 'province', code: '33' }, 'd.district_code', province),
    ' AND d.district_code IN (SELECT code FROM districts WHERE province_code = $1)',
  );
  assert.deepEqual(province, ['33']);
  const wide: SqlValue[] = ['x'];
  assert.equal(scopeCondition(NATIONAL, 'district_code', wide), '');
  assert.equal(scopeCondition(undefined, 'district_code', wide), '');
  assert.deepEqual(wide, ['x'], 'no parameter added for a scope that restricts nothing');
});

test("the scope's parameter comes before a page's limit and offset", () => {
  const params: SqlValue[] = ['all', ''];
  const condition = scopeCondition(districtScope('51.71'), 's.district_code', params);
  const paged = pageClause({ limit: 10, offset: 20 }, params);
  assert.equal(condition, ' AND s.district_code = $3');
  assert.equal(paged.sql, ' LIMIT $4 OFFSET $5');
  assert.deepEqual(paged.params, ['all', '', '51.71', 10, 20]);
});

test('one district: a district scope names it, wider scopes none, no scope the default district', () => {
  assert.equal(singleDistrict(districtScope('33.14')), '33.14');
  assert.equal(singleDistrict({ level: 'province', code: '33' }), null);
  assert.equal(singleDistrict(NATIONAL), null);
  assert.equal(singleDistrict(undefined), DEFAULT_DISTRICT);
});
