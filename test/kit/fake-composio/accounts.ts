/** Connected accounts and Connect Links of the fake Composio (Confluence only). */
import { newId } from './http.js';

/** Statuses a connected account can have in the fake. */
export type AccountStatus = 'INITIATED' | 'ACTIVE' | 'EXPIRED';

/** One connected account (a pending link is an INITIATED account). */
export interface ConnectedAccount {
  id: string;
  userId: string;
  toolkit: string;
  status: AccountStatus;
  linkToken: string;
  redirectUrl: string;
  createdAt: string;
  updatedAt: string;
}

/** Filters of GET /api/v3.1/connected_accounts. */
export interface AccountFilter {
  userIds?: string[];
  toolkitSlugs?: string[];
  statuses?: string[];
  ids?: string[];
}

/** The auth config every fake connection uses. */
export const AUTH_CONFIG = {
  id: 'ac_fakeconfluence',
  auth_scheme: 'OAUTH2',
  is_composio_managed: true,
};

/** Store of connected accounts per user. */
export class AccountStore {
  private readonly accounts: ConnectedAccount[] = [];

  /** Starts a Connect Link flow: a new INITIATED account with a `lk_…` token. */
  initiateLink(userId: string, toolkit = 'confluence'): ConnectedAccount {
    const now = new Date().toISOString();
    const linkToken = newId('lk_');
    const account: ConnectedAccount = {
      id: newId('ca_'),
      userId,
      toolkit,
      status: 'INITIATED',
      linkToken,
      redirectUrl: `https://connect.composio.dev/link/${linkToken}`,
      createdAt: now,
      updatedAt: now,
    };
    this.accounts.push(account);
    return account;
  }

  /** Completes a Connect Link (the user finished OAuth): its account becomes ACTIVE. */
  completeLink(linkToken: string): ConnectedAccount {
    const account = this.accounts.find((a) => a.linkToken === linkToken);
    if (!account) throw new Error(`fake-composio: unknown link token ${linkToken}`);
    return this.activate(account);
  }

  /** Makes the user's connection ACTIVE (completing the newest pending link if any). */
  connect(userId: string): ConnectedAccount {
    const pending = this.accounts.filter((a) => a.userId === userId && a.status === 'INITIATED');
    return this.activate(pending.at(-1) ?? this.initiateLink(userId));
  }

  /** Removes all of the user's accounts (as if revoked). */
  disconnect(userId: string): void {
    for (const account of this.accounts.filter((a) => a.userId === userId)) this.delete(account.id);
  }

  /** The user's newest ACTIVE account, if any. */
  active(userId: string): ConnectedAccount | undefined {
    return this.accounts.filter((a) => a.userId === userId && a.status === 'ACTIVE').at(-1);
  }

  /** One account by id. */
  get(id: string): ConnectedAccount | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** Deletes one account; false when unknown. */
  delete(id: string): boolean {
    const index = this.accounts.findIndex((a) => a.id === id);
    if (index >= 0) this.accounts.splice(index, 1);
    return index >= 0;
  }

  /** Accounts matching the filters, newest first. */
  list(filter: AccountFilter): ConnectedAccount[] {
    const keep = (list: string[] | undefined, value: string) => !list || list.includes(value);
    return this.accounts
      .filter(
        (a) =>
          keep(filter.userIds, a.userId) &&
          keep(filter.toolkitSlugs, a.toolkit) &&
          keep(filter.statuses, a.status) &&
          keep(filter.ids, a.id),
      )
      .reverse();
  }

  /** All Connect Links issued so far (pending and completed). */
  links(): Array<{
    linkToken: string;
    userId: string;
    redirectUrl: string;
    status: AccountStatus;
  }> {
    return this.accounts.map(({ linkToken, userId, redirectUrl, status }) => ({
      linkToken,
      userId,
      redirectUrl,
      status,
    }));
  }

  private activate(account: ConnectedAccount): ConnectedAccount {
    account.status = 'ACTIVE';
    account.updatedAt = new Date().toISOString();
    return account;
  }
}

/** The wire shape of a connected account (GET /api/v3.1/connected_accounts items). */
export function accountJson(account: ConnectedAccount): Record<string, unknown> {
  const val =
    account.status === 'ACTIVE'
      ? { status: 'ACTIVE', access_token: 'fake-access-token', token_type: 'Bearer' }
      : { status: account.status, redirectUrl: account.redirectUrl };
  return {
    id: account.id,
    alias: null,
    word_id: null,
    user_id: account.userId,
    status: account.status,
    status_reason: null,
    toolkit: { slug: account.toolkit },
    auth_config: { ...AUTH_CONFIG, is_disabled: false },
    data: {},
    params: {},
    state: { authScheme: 'OAUTH2', val },
    is_disabled: false,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
  };
}
