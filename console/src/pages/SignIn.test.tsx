import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { SignIn } from './SignIn';

beforeAll(() => {
  // jsdom has no matchMedia; Mantine asks it for the colour scheme.
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList;
});
afterEach(cleanup);

function renderWith(fetchFn: Fetch, onSignedIn = vi.fn()) {
  render(
    <MantineProvider>
      <SignIn api={new ApiClient(fetchFn)} expired={false} onSignedIn={onSignedIn} />
    </MantineProvider>,
  );
  fireEvent.change(screen.getByLabelText(/E-mail/), { target: { value: 'alice@acme.test' } });
  fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'wrong' } });
  fireEvent.change(screen.getByLabelText(/Tenant domain/), { target: { value: 'acme' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  return onSignedIn;
}

describe('SignIn', () => {
  it('shows the API envelope message in an alert when the login is refused', async () => {
    const fetchFn: Fetch = async () =>
      new Response(JSON.stringify({ success: false, message: 'Invalid email or password', error: { code: 'UNAUTHORIZED' } }), {
        status: 401,
      });
    const onSignedIn = renderWith(fetchFn);
    expect((await screen.findByRole('alert')).textContent).toContain('Invalid email or password');
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('hands the token and tenant to the console when the login succeeds', async () => {
    const fetchFn: Fetch = async () =>
      new Response(JSON.stringify({ success: true, data: { access_token: 'jwt', user: { email: 'alice@acme.test' } } }), {
        status: 200,
      });
    const onSignedIn = renderWith(fetchFn);
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    expect(onSignedIn.mock.calls[0][0]).toEqual({
      accessToken: 'jwt',
      expiresIn: null,
      user: { email: 'alice@acme.test' },
      tenantDomain: 'acme',
      platformAdmin: false,
    });
  });
});
