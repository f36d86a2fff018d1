import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';

/** The ingresses of the events backend's GitHub and GitLab modules, under /api/events. */
const INGRESS_PATHS = ['/http/github', '/http/gitlab'];

/** The events backend's own limit for a delivery (its HTTP ingress reads no more). */
const BODY_LIMIT = '5mb';

/** GitHub's and GitLab's deliveries nest less than 10 levels; this leaves them room. */
const MAX_DEPTH = 64;

/**
 * `application/json` with at most a charset: what GitHub and GitLab send, and a form the
 * events backend's Content-Type parser reads without throwing.
 */
const JSON_MEDIA_TYPE =
  /^application\/json(?: *; *charset *= *([A-Za-z0-9_-]+))? *$/i;

class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError';
  statusCode = 415;
}

/** Whether a parsed value nests deeper than MAX_DEPTH, found without recursion. */
function tooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

const checkDelivery: RequestHandler = (req, _res, next) => {
  const mediaType = JSON_MEDIA_TYPE.exec(req.headers['content-type'] ?? '');
  const charset = mediaType?.[1] ?? 'utf-8';
  if (!mediaType || !Buffer.isEncoding(charset)) {
    throw new UnsupportedMediaTypeError(
      'A webhook delivery must be sent as application/json',
    );
  }
  // Decoded as the events backend decodes it, whose signature check reads the same text.
  const text = Buffer.isBuffer(req.body) ? req.body.toString(charset) : '';
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new InputError('The webhook delivery is not JSON');
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload)
  ) {
    throw new InputError('The webhook delivery is not a JSON object');
  }
  if (tooDeep(payload)) {
    throw new InputError(
      `The webhook delivery nests deeper than ${MAX_DEPTH} levels`,
    );
  }
  next();
};

/**
 * A module of the events backend that answers a malformed delivery to its GitHub and
 * GitLab ingresses with a 4xx before the ingress reads it. The ingress of
 * @backstage/plugin-events-backend 0.6 answers 500 to a body that is no JSON and to a
 * missing or malformed Content-Type, before it checks the signature, so to anyone; and to
 * a signed body nested so deep that writing it to the debug log overflows the stack.
 * Modules start before their plugin, so this runs first on the events plugin's router.
 */
export const devopsWebhookGuardModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'devops-webhook-guard',
  register(reg) {
    reg.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.post(
          INGRESS_PATHS,
          // The events backend's own reader finds the body read and keeps it.
          express.raw({ type: '*/*', limit: BODY_LIMIT }),
          checkDelivery,
        );
        httpRouter.use(router);
      },
    });
  },
});
