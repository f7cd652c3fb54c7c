import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@imb/auth';
import { PROCUREMENT_READERS, PROCUREMENT_WRITERS } from './access';
import { ExerciseCodePipe } from './exercise-code.pipe';
import { AdvanceExerciseDto, CreateExerciseDto, ListExercisesQuery, UpdateCalendarDto } from './exercises.dto';
import { ExercisesService } from './exercises.service';

@ApiTags('procurement exercises')
@ApiBearerAuth()
@Controller('procurement/exercises')
export class ExercisesController {
  constructor(private readonly exercises: ExercisesService) {}

  @Post()
  @Roles(...PROCUREMENT_WRITERS)
  @ApiCreatedResponse({ description: 'The exercise at NEEDS_DIAGNOSIS, with its calendar' })
  @ApiConflictResponse({ description: 'An exercise with this code exists' })
  create(@Body() body: CreateExerciseDto) {
    return this.exercises.create(body);
  }

  @Get()
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: '{ items, total, page, pageSize }, newest first' })
  list(@Query() query: ListExercisesQuery) {
    return this.exercises.list(query.page ?? 1, query.pageSize ?? 50);
  }

  @Get(':code')
  @Roles(...PROCUREMENT_READERS)
  @ApiOkResponse({ description: 'The exercise, its calendar (planned dates, when each stage was reached) and its history' })
  get(@Param('code', ExerciseCodePipe) code: string) {
    return this.exercises.get(code);
  }

  @Put(':code/calendar')
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: 'The exercise with the planned dates replaced for the stages named' })
  updateCalendar(@Param('code', ExerciseCodePipe) code: string, @Body() body: UpdateCalendarDto) {
    return this.exercises.updateCalendar(code, body.calendar);
  }

  @Post(':code/advance')
  @HttpCode(200)
  @Roles(...PROCUREMENT_WRITERS)
  @ApiOkResponse({ description: 'The exercise in its new stage' })
  @ApiBadRequestResponse({ description: 'Going back without a reason' })
  @ApiConflictResponse({ description: 'Already in that stage' })
  advance(@Param('code', ExerciseCodePipe) code: string, @Body() body: AdvanceExerciseDto) {
    return this.exercises.advance(code, body.toStage, body.reason);
  }
}
