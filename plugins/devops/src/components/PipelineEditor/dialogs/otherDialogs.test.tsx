import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ParametersDialog } from './ParametersDialog';
import { StageDialog } from './StageDialog';

jest.setTimeout(30_000);

const fill = (label: RegExp | string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('StageDialog', () => {
  it('needs a name and saves the order', async () => {
    const onSave = jest.fn();
    render(<StageDialog onSave={onSave} onClose={jest.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    expect(screen.getByLabelText(/^Name \*/)).toHaveAccessibleDescription(
      'a stage name is required',
    );
    fill(/^Name \*/, '  Lint ');
    await userEvent.click(screen.getByLabelText(/^Parallel/));
    await userEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    expect(onSave).toHaveBeenCalledWith({ name: 'Lint', order: 'parallel' });
  });

  it('edits a stage', async () => {
    const onSave = jest.fn();
    render(
      <StageDialog
        stage={{ name: 'Test', order: 'parallel', tasks: [] }}
        onSave={onSave}
        onClose={jest.fn()}
      />,
    );
    expect(screen.getByLabelText(/^Name \*/)).toHaveValue('Test');
    await userEvent.click(screen.getByLabelText(/^Sequential/));
    await userEvent.click(screen.getByRole('button', { name: 'Save stage' }));
    expect(onSave).toHaveBeenCalledWith({ name: 'Test', order: 'sequential' });
  });
});

describe('ParametersDialog', () => {
  it('keeps a stored secret that is left empty', async () => {
    const onSave = jest.fn();
    render(
      <ParametersDialog
        parameters={[
          { name: 'REGISTRY', value: 'hub.example.com' },
          { name: 'TOKEN', secret: true },
        ]}
        creating={false}
        onSave={onSave}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByLabelText('Parameter 2 value'),
    ).toHaveAccessibleDescription('Leave empty to keep the stored value');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save parameters' }),
    );
    expect(onSave).toHaveBeenCalledWith([
      { name: 'REGISTRY', value: 'hub.example.com' },
      { name: 'TOKEN', secret: true },
    ]);
  });

  it('checks names and asks a new pipeline for secret values', async () => {
    const onSave = jest.fn();
    render(
      <ParametersDialog
        parameters={[]}
        creating
        onSave={onSave}
        onClose={jest.fn()}
      />,
    );
    for (let i = 0; i < 3; i++) {
      await userEvent.click(
        screen.getByRole('button', { name: 'Add parameter' }),
      );
    }
    fill('Parameter 1 name', 'BUILD_ID');
    fill('Parameter 1 value', '1');
    fill('Parameter 2 name', 'TOKEN');
    await userEvent.click(screen.getByLabelText('Parameter 2 is secret'));
    fill('Parameter 3 name', 'TOKEN');
    fill('Parameter 3 value', 'x');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save parameters' }),
    );
    expect(onSave).not.toHaveBeenCalled();
    expect(
      screen.getByLabelText('Parameter 1 name'),
    ).toHaveAccessibleDescription(
      '"BUILD_ID" is a built-in variable; choose another name',
    );
    expect(
      screen.getByLabelText('Parameter 2 value'),
    ).toHaveAccessibleDescription(
      'a new pipeline needs the value of each secret',
    );
    expect(
      screen.getByLabelText('Parameter 3 name'),
    ).toHaveAccessibleDescription('"TOKEN" is defined twice');

    await userEvent.click(
      screen.getByRole('button', { name: 'Remove parameter 3' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove parameter 1' }),
    );
    fill('Parameter 1 value', 's3cr3t');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save parameters' }),
    );
    expect(onSave).toHaveBeenCalledWith([
      { name: 'TOKEN', value: 's3cr3t', secret: true },
    ]);
  });
});
