import { render, screen } from '@testing-library/react';
import app from './App';

jest.setTimeout(30_000);

describe('App', () => {
  beforeEach(() => {
    // The app reads its configuration from here, as the CLI injects it when bundling.
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          context: 'test',
          data: {
            app: { title: 'Test', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
        },
      ] as any,
    };
  });

  it('offers guest sign-in before anything else', async () => {
    render(app.createRoot());

    // The whole app loads first, which takes a while on a busy machine.
    expect(
      await screen.findByText('Guest', {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
