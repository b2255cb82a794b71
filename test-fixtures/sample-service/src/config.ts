export const config = {
  upstreamUrl: process.env.UPSTREAM_URL ?? 'https://orders.example.com/api',
  webhookUrl: process.env.WEBHOOK_URL ?? 'https://hooks.example.com/orders',
  dataDir: process.env.DATA_DIR ?? './data',
  pollIntervalMs: 5_000,
  maxAttempts: 3,
};

export interface Order {
  id: string;
  customerId: string;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  totalCents: number;
  items: { sku: string; quantity: number }[];
}

export interface WebhookEvent {
  id: string;
  type: 'order.created' | 'order.paid' | 'order.cancelled';
  orderId: string;
}
