// Round trip through the stack's Kafka with the same client the project uses (kafkajs 2.2.4):
// metadata, produce to the replay topic, consume the same messages back.
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',');
const topic = process.env.KAFKA_TOPIC || 'replay-user-events';
const runId = `smoke-${Date.now()}`;
const count = 6;

async function main() {
  const kafka = new Kafka({ clientId: 'stack-smoke', brokers, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = meta.topics[0].partitions.length;
  await admin.disconnect();
  console.log(`kafkajs ${require('kafkajs/package.json').version}: ${topic} has ${partitions} partitions`);

  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `user-${i}`,
    value: JSON.stringify({ runId, i, event: 'smoke' }),
  }));
  const res = await producer.send({ topic, messages });
  await producer.disconnect();
  console.log(`produced ${count} messages to partitions ${[...new Set(res.map((r) => r.partition))].join(',')}`);

  const consumer = kafka.consumer({ groupId: runId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout: consumed ${seen.size}/${count}`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        const v = JSON.parse(message.value.toString());
        if (v.runId === runId) seen.add(v.i);
        if (seen.size === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  console.log(`consumed ${seen.size}/${count} messages back: kafkajs OK`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
