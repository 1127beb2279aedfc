import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts'],
          exclude: ['test/workers/**', 'node_modules/**'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
