import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from '@smarthost/logger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import type { LevelWithSilent } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module';
import { type ApiConfig, keyBytes } from './config/api-config';
import { requireJsonBodies } from './core/json-only';
import { NestPinoLogger } from './core/nest-pino-logger';

const UNVERSIONED = [
  { path: 'healthz', method: RequestMethod.GET },
  { path: 'readyz', method: RequestMethod.GET },
];

/**
 * Routes called on a timer: probes poll the health checks, every relay node beats every few seconds and long-polls
 * the policy changes (one request per 25 s even when nothing changed). At info they would bury every other line.
 */
const POLLED_ROUTES = /^\/(healthz|readyz|v1\/relay\/heartbeat|v1\/relay\/policy\/changes)(\?|$)/;

/** Failures stay loud on any route: a node whose heartbeat is refused must show. */
export function requestLogLevel(request: IncomingMessage, response: ServerResponse, error?: Error): LevelWithSilent {
  if (error || response.statusCode >= 500) return 'error';
  if (response.statusCode >= 400) return 'info';
  return POLLED_ROUTES.test(request.url ?? '') ? 'debug' : 'info';
}

export function buildOpenApiDocument(app: INestApplication) {
  const config = new DocumentBuilder()
    .setTitle('Smarthost API')
    .setDescription('Configure domains, SMTP credentials, routes and quotas; watch delivery.')
    .setVersion('1')
    // 3.1: its schema dialect is JSON Schema 2020-12, which is what zod writes (type arrays for nullable fields).
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'An API key of the tenant (shk_…)' })
    .addCookieAuth('sh_session', { type: 'apiKey', in: 'cookie', description: 'Dashboard session, with x-csrf-token on writes and x-tenant-id' })
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'OPERATOR_TOKEN from the API config' }, 'operator')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'A relay node token (POST /v1/operator/relay-nodes)' }, 'relay-node')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Builds the whole HTTP app from a validated config; main.ts and tests share this. */
export async function createApp(config: ApiConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
    // Kept beside the parsed body for Stripe's webhook, whose signature covers the exact bytes sent.
    rawBody: true,
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      // The correlation id: taken from the caller when it looks sane, else made; echoed back and in every error body.
      genReqId: (request, response) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
        response.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: requestLogLevel,
    }),
  );
  // Before the body parsers, which Nest registers at init.
  app.use(requireJsonBodies);
  app.use(cookieParser(keyBytes(config.SESSION_SECRET).toString('hex')));
  app.setGlobalPrefix('v1', { exclude: UNVERSIONED });
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  if (config.WEB_DIST_DIR) serveDashboard(app, config.WEB_DIST_DIR);
  return app;
}

/** The built dashboard at /, with client-side routes falling back to index.html. */
function serveDashboard(app: NestExpressApplication, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) throw new Error(`WEB_DIST_DIR has no index.html: ${dir}`);
  app.useStaticAssets(dir, { index: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const api = /^\/(v1|docs|healthz|readyz)(\/|$)/.test(request.path);
    if (request.method === 'GET' && !api && request.accepts('html')) return response.sendFile(index);
    return next();
  });
}
