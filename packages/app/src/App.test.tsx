import { render, screen } from '@testing-library/react';
import app from './App';

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

    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
