import type { FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ApiApp, AppContext } from '../app-context.ts';
import { safeEqual } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { verifySignature } from '../webhook/signature.ts';

/** Largest webhook body accepted (Meta's payloads are a few kB). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * The POST's validator: TypeBox's check without the value conversion the app's compiler runs
 * on every header of every request (headers arrive as strings; the conversion was about 6% of
 * a delivery's CPU in the server at 5,000 POST/s).
 */
const checkWithoutConversion: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const check = Compile(schema);
  return (value) => (check.Check(value) ? { value } : { error: [...check.Errors(value)] as never });
};

/**
 * `GET/POST /webhooks/whatsapp`, Meta's webhook. GET answers the `hub.challenge` handshake.
 * POST checks X-Hub-Signature-256 over the raw body bytes, stores the body durably, then
 * answers 200. A body that is signed but not a valid payload is quarantined and still
 * acknowledged with 200, so Meta does not retry it forever.
 */
export async function webhookRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  // The signature covers the exact bytes: read every body as a Buffer, never as parsed JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.get(
    '/webhooks/whatsapp',
    {
      schema: {
        summary: "Meta's webhook verification handshake",
        tags: ['webhook'],
        querystring: Type.Object({
          'hub.mode': Type.Optional(Type.String({ maxLength: 100 })),
          'hub.verify_token': Type.Optional(Type.String({ maxLength: 500 })),
          'hub.challenge': Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const expected = ctx.config.whatsappVerifyToken;
      if (!expected) throw new ApiError('API_WEBHOOK_NOT_CONFIGURED', 'WHATSAPP_VERIFY_TOKEN is not set on the server; set it to the verify token entered in the Meta app dashboard.');
      const q = request.query;
      if (q['hub.mode'] !== 'subscribe' || !safeEqual(q['hub.verify_token'] ?? '', expected)) {
        throw new ApiError('API_WEBHOOK_VERIFY', 'hub.mode must be "subscribe" and hub.verify_token must equal WHATSAPP_VERIFY_TOKEN.');
      }
      return reply.type('text/plain; charset=utf-8').send(q['hub.challenge'] ?? '');
    },
  );

  app.post(
    '/webhooks/whatsapp',
    {
      // Thousands of deliveries a second: no "incoming request"/"request completed" lines per
      // delivery (two pino writes each); failures are still logged, rejected signatures at warn.
      logLevel: 'warn',
      validatorCompiler: checkWithoutConversion,
      schema: {
        summary: 'WhatsApp Cloud API webhook deliveries, signed with the app secret',
        description: 'HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET in X-Hub-Signature-256 (401 when missing or wrong, nothing stored); 413 over 1 MiB. Stored in raw before the 200; retries of the same body are stored once.',
        tags: ['webhook'],
        headers: Type.Object({ 'x-hub-signature-256': Type.Optional(Type.String()) }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const secret = ctx.config.whatsappAppSecret;
      if (!secret) throw new ApiError('API_WEBHOOK_NOT_CONFIGURED', 'WHATSAPP_APP_SECRET is not set on the server, so deliveries cannot be verified; set it to the Meta app secret.');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!verifySignature(body, request.headers['x-hub-signature-256'], secret)) {
        request.log.warn({ remoteAddress: request.ip, bytes: body.length }, 'webhook delivery with a missing or wrong X-Hub-Signature-256 refused (401)');
        throw new ApiError('API_WEBHOOK_SIGNATURE', 'X-Hub-Signature-256 is missing or does not match the body; nothing was stored.');
      }
      const outcome = await ctx.receiver.receive(body);
      reply.header('x-parley-webhook', outcome);
      return reply.type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
    },
  );
}
