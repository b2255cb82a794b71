export const config = {
  upstreamUrl: process.env.UPSTREAM_URL ?? 'https://orders.example.com/api',
  webhookUrl: process.env.WEBHOOK_URL ?? 'https://hooks.example.com/orders',
  dataDir: process.env.DATA_DIR ?? './data',
  pollIntervalMs: 5_000,
  maxAttempts: 3,
};
