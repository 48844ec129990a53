import { describe, expect, it } from 'vitest';
import { ConfluenceEmulator } from './confluence.js';

const storage = (value: string) => ({ storage: { representation: 'storage', value } });

function setup() {
  const confluence = new ConfluenceEmulator();
  const run = (slug: string, args: Record<string, unknown>, user = 'u1') =>
    confluence.execute(user, slug, args);
  return { confluence, run };
}

describe('ConfluenceEmulator', () => {
  it('seeds MKT and ENG per user and keeps sites independent', () => {
    const { confluence, run } = setup();
    expect(
      run('CONFLUENCE_CREATE_PAGE', { spaceId: 'MKT', title: 'A', body: storage('x') }),
    ).toMatchObject({
      successful: true,
      error: null,
    });
    const u1 = confluence.site('u1');
    expect(u1.spaces.map((s) => [s.key, s.name])).toEqual([
      ['MKT', 'Marketing'],
      ['ENG', 'Engineering'],
    ]);
    expect(u1.pages.map((p) => p.title)).toEqual(['Marketing Home', 'Engineering Home', 'A']);
    expect(confluence.site('u2').pages.map((p) => p.title)).not.toContain('A');
    expect(Object.isFrozen(u1.pages[0])).toBe(true);
  });

  it('creates pages under the homepage by space key or id, with v2-shaped JSON', () => {
    const { confluence, run } = setup();
    const eng = confluence.site('u1').spaces[1]!;
    const page = run('CONFLUENCE_CREATE_PAGE', {
      spaceId: Number(eng.id),
      title: 'Runbook',
      body: storage('<p>r</p>'),
    });
    expect(page.data).toMatchObject({
      title: 'Runbook',
      spaceId: eng.id,
      parentId: eng.homepageId,
      version: { number: 1 },
      body: { storage: { representation: 'storage', value: '<p>r</p>' } },
      _links: { webui: `/spaces/ENG/pages/${page.data.id}/Runbook` },
    });
    expect(typeof page.data.id).toBe('string');
    const dup = run('CONFLUENCE_CREATE_PAGE', {
      spaceId: 'eng',
      title: 'Runbook',
      body: storage(''),
    });
    expect(dup).toMatchObject({ successful: false, data: { status_code: 400 } });
    expect(dup.error).toContain('A page with this title already exists');
  });

  it('requires version current+1 on update', () => {
    const { confluence, run } = setup();
    const { id } = run('CONFLUENCE_CREATE_PAGE', { spaceId: 'MKT', title: 'P', body: storage('1') })
      .data as { id: string };
    const stale = run('CONFLUENCE_UPDATE_PAGE', {
      id,
      title: 'P',
      body: { representation: 'storage', value: '2' },
      version: { number: 1 },
    });
    expect(stale.error).toContain('Version must be incremented on update. Current version is: 1');
    const ok = run('CONFLUENCE_UPDATE_PAGE', {
      id,
      title: 'P2',
      body: { representation: 'storage', value: '2' },
      version: { number: 2 },
    });
    expect(ok.data).toMatchObject({ title: 'P2', version: { number: 2 } });
    expect(confluence.site('u1').pages.find((p) => p.id === id)?.body).toBe('2');
  });

  it('labels, searches, lists, properties, blog posts, deletes', () => {
    const { confluence, run } = setup();
    const { id } = run('CONFLUENCE_CREATE_PAGE', {
      spaceId: 'ENG',
      title: 'Deploy guide',
      body: storage('<p>kubectl rollout</p>'),
    }).data as { id: string };
    run('CONFLUENCE_ADD_CONTENT_LABEL', { id, labels: [{ name: 'Ops', prefix: 'global' }] });
    expect(run('CONFLUENCE_GET_LABELS_FOR_PAGE', { id }).data.results).toMatchObject([
      { name: 'ops' },
    ]);
    expect(run('CONFLUENCE_SEARCH_CONTENT', { query: 'deploy' }).data.results).toMatchObject([
      { id },
    ]);
    const cql = run('CONFLUENCE_CQL_SEARCH', {
      cql: 'text ~ "rollout" AND space = ENG AND label = ops',
    });
    expect(cql.data.results).toMatchObject([{ content: { id } }]);
    expect(
      run('CONFLUENCE_GET_PAGES', { spaceId: 'ENG', title: 'Deploy guide' }).data.results,
    ).toHaveLength(1);
    expect(
      run('CONFLUENCE_CREATE_PAGE_PROPERTY', { id, key: 'bot', value: { v: 1 } }).successful,
    ).toBe(true);
    expect(run('CONFLUENCE_CREATE_PAGE_PROPERTY', { id, key: 'bot', value: 2 }).successful).toBe(
      false,
    );
    const blog = run('CONFLUENCE_CREATE_BLOGPOST', {
      spaceId: 'MKT',
      title: 'News',
      body: { representation: 'storage', value: 'n' },
    });
    expect(blog.data).toMatchObject({ type: 'blogpost', title: 'News' });
    expect(run('CONFLUENCE_DELETE_PAGE', { id }).successful).toBe(true);
    expect(run('CONFLUENCE_GET_PAGE_BY_ID', { id }).data).toMatchObject({ status_code: 404 });
    run('CONFLUENCE_CREATE_PRIVATE_SPACE', { key: 'PRIV', name: 'Mine' });
    expect(confluence.site('u1').spaces.find((s) => s.key === 'PRIV')?.private).toBe(true);
    run('CONFLUENCE_DELETE_SPACE', { spaceKey: 'MKT' });
    expect(confluence.site('u1').blogposts).toEqual([]);
  });

  it('validates arguments like Composio and counts write attempts', () => {
    const { confluence, run } = setup();
    const bad = run('CONFLUENCE_CREATE_PAGE', { spaceId: 'MKT', body: storage('x') });
    expect(bad.error).toMatch(/^Invalid request data provided\n- title:/);
    expect(run('CONFLUENCE_NOPE', {}).error).toBe('Tool CONFLUENCE_NOPE not found');
    run('CONFLUENCE_GET_SPACES', {});
    expect(confluence.writeCount()).toBe(1);
    expect(confluence.writeCount('CONFLUENCE_CREATE_PAGE', 'u2')).toBe(0);
    expect(confluence.calls.map((c) => c.slug)).toEqual([
      'CONFLUENCE_CREATE_PAGE',
      'CONFLUENCE_NOPE',
      'CONFLUENCE_GET_SPACES',
    ]);
  });

  it('hides a page whose read restriction leaves the user out, and lists restrictions by operation', () => {
    const { confluence, run } = setup();
    const made = run('CONFLUENCE_CREATE_PAGE', { spaceId: 'MKT', title: 'R', body: storage('x') });
    const id = String(made.data.id);
    const { viewer } = confluence.site('u1');
    const other = { accountId: 'acct-other', publicName: 'Other' };
    expect(run('CONFLUENCE_GET_CONTENT_RESTRICTIONS', { id }).data).toMatchObject({
      restrictions: { read: { operation: 'read', restrictions: { user: { size: 0 } } } },
    });

    confluence.changePage('u1', id, { readRestrictedTo: [viewer, other], updatedBy: other });
    expect(run('CONFLUENCE_GET_PAGE_BY_ID', { id }).data).toMatchObject({
      version: { authorId: 'acct-other', by: { accountId: 'acct-other', publicName: 'Other' } },
    });
    const restricted = run('CONFLUENCE_GET_CONTENT_RESTRICTIONS', { id }).data;
    expect(restricted).toMatchObject({
      restrictions: { read: { restrictions: { user: { size: 2 }, group: { size: 0 } } } },
    });

    confluence.changePage('u1', id, { readRestrictedTo: [other] });
    const hidden = run('CONFLUENCE_GET_PAGE_BY_ID', { id });
    expect(hidden).toMatchObject({ successful: false, data: { status_code: 404 } });
    const listed = run('CONFLUENCE_GET_PAGES', { spaceId: 'MKT' }).data.results as Array<{
      id: string;
    }>;
    expect(listed.map((p) => p.id)).not.toContain(id);
  });
});
