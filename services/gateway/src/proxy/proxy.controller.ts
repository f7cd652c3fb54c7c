import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProxyService } from './proxy.service';

/**
 * The services' own routes, forwarded unchanged once the caller's token is verified (the global
 * AuthGuard answers 401 first, so junk never reaches a service). Their operations appear in the
 * merged OpenAPI document under the services' own paths, not as these catch-alls.
 */
@ApiExcludeController()
@Controller()
export class ProxyController {
  constructor(private readonly proxy: ProxyService) {}

  @All(['transfers', 'transfers/*path'])
  transfer(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.proxy.forward('transfer', req, res);
  }

  @All(['hr', 'hr/*path'])
  hr(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.proxy.forward('hr', req, res);
  }

  @All(['procurement', 'procurement/*path'])
  procurement(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.proxy.forward('procurement', req, res);
  }

  @All(['dignification', 'dignification/*path'])
  dignification(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.proxy.forward('dignification', req, res);
  }
}
