"""PyTorch's probabilities for 1x6x6 images by conv4k3p1,pool2,8 as nn.Sequential, its parameters from Descent:
python3 torch_conv_outputs.py WEIGHTS FEATURES.json BACK; prints a JSON array of rows and saves the
state_dict it loaded (strictly) to BACK (TorchRoundTripTest)."""
import json, sys, torch, safetensors.torch as st

w = st.load_file(sys.argv[1])
x = torch.tensor(json.load(open(sys.argv[2])), dtype=w["0.bias"].dtype).reshape(-1, 1, 6, 6)
net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Flatten(), torch.nn.Linear(36, 8), torch.nn.ReLU(),
                          torch.nn.Linear(8, 2)).to(w["0.bias"].dtype)
net.load_state_dict(w)
st.save_file(net.state_dict(), sys.argv[3])
with torch.no_grad():
    print(json.dumps(net(x).softmax(1).tolist()))
